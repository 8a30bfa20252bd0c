package io.gridsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lists, fields, segments, Single Sends and templates survive a stop and start with a state file. */
class MarketingStateRoundTripTest {

    private Emulator emulator;

    @AfterEach
    void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    private SendGridHttp start(Path file) {
        emulator = Emulator.start(new EmulatorConfig().port(0).stateFile(file));
        return new SendGridHttp(emulator.baseUrl(), "SG.test");
    }

    @Test
    void everythingCreatedIsThereAfterARestartAndResetClearsIt() throws Exception {
        Path file = Files.createTempDirectory("emu-marketing").resolve("state.json");
        SendGridHttp sg = start(file);
        String listA = sg.post("/v3/marketing/lists", Map.of("name", "A")).json().get("id").asText();
        String listB = sg.post("/v3/marketing/lists", Map.of("name", "B")).json().get("id").asText();
        String field = sg.post("/v3/marketing/field_definitions", Map.of("name", "plan", "field_type", "Text")).json()
                .get("id").asText();
        String segment = sg.post("/v3/marketing/segments/2.0", Map.of("name", "on A",
                "query_dsl", "SELECT contact_id, updated_at FROM contact_data", "parent_list_ids", List.of(listA)))
                .json().get("id").asText();
        String send = sg.post("/v3/marketing/singlesends", Map.of("name", "Hello", "categories", List.of("x"),
                "send_to", Map.of("list_ids", List.of(listB)))).json().get("id").asText();
        String template = sg.post("/v3/templates", Map.of("name", "Welcome", "generation", "dynamic")).json()
                .get("id").asText();
        sg.post("/v3/templates/" + template + "/versions", Map.of("name", "v1", "subject", "Hi", "html_content", "<b>1</b>"));
        String v2 = sg.post("/v3/templates/" + template + "/versions", Map.of("name", "v2", "subject", "Hello",
                "html_content", "<b>2</b>", "active", 1)).json().get("id").asText();
        String nextPage = sg.get("/v3/marketing/lists?page_size=1").json().at("/_metadata/next").asText();
        emulator.close();
        emulator = null;

        assertThat(Files.readString(file)).contains("\"lists\"", "\"field_definitions\"", "\"segments\"",
                "\"singlesends\"", "\"templates\"");
        sg = start(file);

        assertThat(sg.get("/v3/marketing/lists").json().get("result")).extracting(l -> l.get("id").asText())
                .containsExactly(listA, listB);
        assertThat(sg.get(nextPage.substring(nextPage.indexOf("/v3/"))).json().at("/result/0/id").asText())
                .as("a page token from before the restart still works").isEqualTo(listB);
        assertThat(sg.post("/v3/marketing/lists", Map.of("name", "a")).status()).as("names still taken").isEqualTo(400);

        JsonNode fields = sg.get("/v3/marketing/field_definitions").json().get("custom_fields");
        assertThat(fields).extracting(f -> f.get("id").asText() + " " + f.get("name").asText()).containsExactly(field + " plan");
        String another = sg.post("/v3/marketing/field_definitions", Map.of("name", "tier", "field_type", "Text")).json()
                .get("id").asText();
        assertThat(another).as("field ids are not handed out twice").isNotEqualTo(field);

        JsonNode s = sg.get("/v3/marketing/segments/2.0/" + segment).json();
        assertThat(s.get("name").asText()).isEqualTo("on A");
        assertThat(s.at("/parent_list_ids/0").asText()).isEqualTo(listA);

        JsonNode ss = sg.get("/v3/marketing/singlesends/" + send).json();
        assertThat(ss.get("name").asText()).isEqualTo("Hello");
        assertThat(ss.at("/send_to/list_ids/0").asText()).isEqualTo(listB);
        assertThat(ss.at("/email_config/editor").asText()).isEqualTo("code");

        JsonNode t = sg.get("/v3/templates/" + template).json();
        assertThat(t.get("generation").asText()).isEqualTo("dynamic");
        assertThat(t.get("versions")).extracting(v -> v.get("name").asText() + "=" + v.get("active").asInt())
                .containsExactly("v1=0", "v2=1");
        assertThat(sg.get("/v3/templates/" + template + "/versions/" + v2).json().get("html_content").asText())
                .isEqualTo("<b>2</b>");
        sg.assertConforms();

        SendGridHttp admin = new SendGridHttp(emulator.baseUrl(), null);
        assertThat(admin.post("/_emulator/reset", "").status()).isEqualTo(204);
        assertThat(sg.get("/v3/marketing/lists").json().get("result")).isEmpty();
        assertThat(sg.get("/v3/marketing/field_definitions").json().get("custom_fields")).isEmpty();
        assertThat(sg.get("/v3/marketing/segments/2.0").json().get("results")).isEmpty();
        assertThat(sg.get("/v3/marketing/singlesends").json().get("result")).isEmpty();
        assertThat(sg.get("/v3/templates?page_size=10&generations=legacy,dynamic").json().get("result")).isEmpty();
    }
}
