package io.gridsync.emulator.templates;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.emulator.testing.SendGridHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v3/templates} over HTTP, checked against SendGrid's OpenAPI file. */
class TemplatesApiTest {

    private static final String PATH = "/v3/templates";

    private Emulator emulator;
    private SendGridHttp sg;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        sg = new SendGridHttp(emulator.baseUrl(), "SG.test");
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String create(String name, String generation) {
        SendGridHttp.Response r = sg.post(PATH, Map.of("name", name, "generation", generation));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private SendGridHttp.Response version(String templateId, Map<String, Object> body) {
        return sg.post(PATH + "/" + templateId + "/versions", body);
    }

    private static String message(SendGridHttp.Response r) {
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void dynamicTemplatesHaveDIdsAndLegacyOnesUuids() {
        SendGridHttp.Response dynamic = sg.post(PATH, Map.of("name", "Welcome", "generation", "dynamic"));
        assertThat(dynamic.status()).isEqualTo(201);
        assertThat(dynamic.json().get("id").asText()).matches("d-[0-9a-f]{32}");
        assertThat(dynamic.json().get("generation").asText()).isEqualTo("dynamic");
        assertThat(dynamic.json().get("versions")).isEmpty();
        assertThat(dynamic.json().get("updated_at").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

        SendGridHttp.Response legacy = sg.post(PATH, Map.of("name", "Old"));
        assertThat(legacy.json().get("generation").asText()).as("legacy is the default").isEqualTo("legacy");
        assertThat(legacy.json().get("id").asText()).matches("[0-9a-f-]{36}");

        SendGridHttp.Response got = sg.get(PATH + "/" + dynamic.json().get("id").asText());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("name").asText()).isEqualTo("Welcome");
        sg.assertConforms();
    }

    @Test
    void theFirstVersionIsActiveAndActivationMovesToAnother() {
        String id = create("Receipt", "dynamic");
        SendGridHttp.Response v1 = version(id, Map.of("name", "v1", "subject", "Your receipt {{order}}",
                "html_content", "<html><body><p>Thanks, {{name}}!</p><p>Total: {{total}}</p></body></html>"));
        assertThat(v1.status()).isEqualTo(201);
        assertThat(v1.json().get("active").asInt()).isEqualTo(1);
        assertThat(v1.json().get("template_id").asText()).isEqualTo(id);
        assertThat(v1.json().get("plain_content").asText()).isEqualTo("Thanks, {{name}}!\nTotal: {{total}}");

        SendGridHttp.Response v2 = version(id, Map.of("name", "v2", "subject", "Receipt", "html_content", "<p>v2</p>",
                "plain_content", "my own text", "generate_plain_content", false));
        assertThat(v2.json().get("active").asInt()).as("only the first version activates itself").isZero();
        assertThat(v2.json().get("plain_content").asText()).isEqualTo("my own text");
        String v1Id = v1.json().get("id").asText();
        String v2Id = v2.json().get("id").asText();

        SendGridHttp.Response activated = sg.post(PATH + "/" + id + "/versions/" + v2Id + "/activate", null);
        assertThat(activated.status()).isEqualTo(200);
        assertThat(activated.json().get("active").asInt()).isEqualTo(1);
        assertThat(sg.get(PATH + "/" + id + "/versions/" + v1Id).json().get("active").asInt()).isZero();
        JsonNode template = sg.get(PATH + "/" + id).json();
        assertThat(template.get("versions")).extracting(v -> v.get("active").asInt()).containsExactly(0, 1);

        SendGridHttp.Response v3 = version(id, Map.of("name", "v3", "subject", "s", "active", 1));
        assertThat(v3.json().get("active").asInt()).isEqualTo(1);
        assertThat(sg.get(PATH + "/" + id + "/versions/" + v2Id).json().get("active").asInt()).isZero();
        sg.assertConforms();
    }

    @Test
    void listingNeedsPageSizeShowsLegacyByDefaultAndPagesToTheEnd() {
        List<String> dynamic = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dynamic.add(create("dyn " + i, "dynamic"));
        }
        String legacy = create("legacy", "legacy");

        SendGridHttp.Response noSize = sg.get(PATH);
        assertThat(noSize.status()).isEqualTo(400);
        assertThat(message(noSize)).contains("page_size is required");
        assertThat(sg.get(PATH + "?page_size=201").status()).isEqualTo(400);

        SendGridHttp.Response defaults = sg.get(PATH + "?page_size=200");
        assertThat(defaults.json().get("result")).extracting(t -> t.get("id").asText()).containsExactly(legacy);
        SendGridHttp.Response both = sg.get(PATH + "?page_size=200&generations=legacy,dynamic");
        assertThat(both.json().get("result")).hasSize(6);
        assertThat(sg.get(PATH + "?page_size=10&generations=modern").status()).isEqualTo(400);

        Set<String> seen = new LinkedHashSet<>();
        String url = emulator.baseUrl() + PATH + "?generations=dynamic&page_size=2";
        int pages = 0;
        while (url != null) {
            SendGridHttp.Response page = sg.get(url.substring(emulator.baseUrl().length()));
            assertThat(page.status()).isEqualTo(200);
            page.json().get("result").forEach(t -> seen.add(t.get("id").asText()));
            JsonNode next = page.json().at("/_metadata/next");
            if (!next.isMissingNode()) {
                assertThat(next.asText()).as("the filter is kept in the next link").contains("generations=dynamic");
            }
            url = next.isMissingNode() ? null : next.asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(List.copyOf(seen)).isEqualTo(dynamic);
        sg.assertConforms();
    }

    @Test
    void templatesCanBeRenamedAndDeleted() {
        String id = create("Before", "dynamic");
        SendGridHttp.Response renamed = sg.patch(PATH + "/" + id, Map.of("name", "After"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(sg.get(PATH + "/" + id).json().get("name").asText()).isEqualTo("After");
        assertThat(sg.delete(PATH + "/" + id).status()).isEqualTo(204);
        assertThat(sg.get(PATH + "/" + id).status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void rulesOnTemplatesAndVersionsAre400s() {
        assertThat(sg.post(PATH, Map.of("generation", "dynamic")).status()).isEqualTo(400);
        assertThat(sg.post(PATH, Map.of("name", "x".repeat(101))).status()).isEqualTo(400);
        assertThat(message(sg.post(PATH, Map.of("name", "x", "generation", "modern")))).contains("legacy").contains("dynamic");

        String id = create("T", "dynamic");
        SendGridHttp.Response missing = version(id, Map.of("html_content", "<p>x</p>"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").findValuesAsText("field")).contains("name", "subject");
        assertThat(version(id, Map.of("name", "v", "subject", "s".repeat(256))).status()).isEqualTo(400);
        assertThat(version(id, Map.of("name", "v", "subject", "s", "active", 2)).status()).isEqualTo(400);
        assertThat(version(id, Map.of("name", "v", "subject", "s", "editor", "word")).status()).isEqualTo(400);
        assertThat(version(id, Map.of("name", "v", "subject", "s", "html_content", "x".repeat(1_048_577))).status())
                .isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void threeHundredTemplatesAndThreeHundredVersionsAreTheAccountsLimits() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TemplateStore.MAX_TEMPLATES; i++) {
            ids.add(create("t" + i, i % 2 == 0 ? "dynamic" : "legacy"));
        }
        SendGridHttp.Response refused = sg.post(PATH, Map.of("name", "one more"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(message(refused)).contains("300 templates");

        for (String id : ids) {
            assertThat(version(id, Map.of("name", "v", "subject", "s")).status()).isEqualTo(201);
        }
        SendGridHttp.Response tooMany = version(ids.get(0), Map.of("name", "v2", "subject", "s"));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(message(tooMany)).contains("300 template versions");
        sg.assertConforms();
    }

    @Test
    void unknownIdsAre404AndMalformedBodiesAre400() {
        String unknown = "d-00000000000000000000000000000000";
        SendGridHttp.Response get = sg.get(PATH + "/" + unknown);
        assertThat(get.status()).isEqualTo(404);
        assertThat(message(get)).contains(unknown);
        assertThat(version(unknown, Map.of("name", "v", "subject", "s")).status()).isEqualTo(404);
        String id = create("T", "dynamic");
        SendGridHttp.Response noVersion = sg.get(PATH + "/" + id + "/versions/00000000-0000-0000-0000-000000000000");
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(message(noVersion)).contains("has no version");
        assertThat(sg.post(PATH + "/" + id + "/versions/00000000-0000-0000-0000-000000000000/activate", null).status())
                .isEqualTo(404);

        SendGridHttp.Response malformed = sg.post(PATH, "{name: 1}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(message(malformed)).startsWith("invalid JSON");
        assertThat(sg.post(PATH + "/" + id + "/versions", "nope").status()).isEqualTo(400);
        sg.assertConforms();
    }
}
