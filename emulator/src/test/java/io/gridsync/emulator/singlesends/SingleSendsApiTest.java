package io.gridsync.emulator.singlesends;

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

/** {@code /v3/marketing/singlesends} over HTTP, checked against SendGrid's OpenAPI file. */
class SingleSendsApiTest {

    private static final String PATH = "/v3/marketing/singlesends";
    private static final String LIST_ID = "f2fe66a1-43f3-4e3a-87b1-c6a600d805f0";

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

    private String create(String name, List<String> categories) {
        SendGridHttp.Response r = sg.post(PATH, Map.of("name", name, "categories", categories));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static String message(SendGridHttp.Response r) {
        return r.json().at("/errors/0/message").asText();
    }

    @Test
    void createAFullDraftGetItUpdateItAndDeleteIt() {
        String body = """
                {"name": "Spring sale", "categories": ["promo", "spring"], "send_at": "2030-05-18T17:28:27.272Z",
                 "send_to": {"list_ids": ["%s"], "all": false},
                 "email_config": {"subject": "Hello {{first_name}}", "html_content": "<p>Sale!</p>",
                                  "sender_id": 12, "suppression_group_id": 34, "editor": "design"}}""".formatted(LIST_ID);
        SendGridHttp.Response created = sg.post(PATH, body);
        assertThat(created.status()).isEqualTo(201);
        JsonNode s = created.json();
        String id = s.get("id").asText();
        assertThat(s.get("status").asText()).as("created as a draft even with send_at").isEqualTo("draft");
        assertThat(s.get("send_at").asText()).isEqualTo("2030-05-18T17:28:27.272Z");
        assertThat(s.at("/send_to/list_ids/0").asText()).isEqualTo(LIST_ID);
        assertThat(s.at("/email_config/subject").asText()).isEqualTo("Hello {{first_name}}");
        assertThat(s.at("/email_config/editor").asText()).isEqualTo("design");
        assertThat(s.at("/email_config/generate_plain_content").asBoolean()).isTrue();
        assertThat(s.at("/email_config/custom_unsubscribe_url").isNull()).isTrue();
        assertThat(s.get("created_at").asText()).isNotEmpty();

        SendGridHttp.Response got = sg.get(PATH + "/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(s);

        SendGridHttp.Response patched = sg.patch(PATH + "/" + id,
                Map.of("name", "Summer sale", "email_config", Map.of("subject", "Hi")));
        assertThat(patched.status()).isEqualTo(202);
        assertThat(patched.json().get("name").asText()).isEqualTo("Summer sale");
        assertThat(patched.json().at("/email_config/subject").asText()).isEqualTo("Hi");
        assertThat(patched.json().at("/email_config/html_content").asText()).as("left out, left alone").isEqualTo("<p>Sale!</p>");
        assertThat(patched.json().get("categories")).extracting(JsonNode::asText).containsExactly("promo", "spring");
        assertThat(patched.json().at("/send_to/list_ids/0").asText()).isEqualTo(LIST_ID);

        SendGridHttp.Response cleared = sg.patch(PATH + "/" + id, "{\"send_at\": null}");
        assertThat(cleared.json().get("send_at").isNull()).isTrue();

        assertThat(sg.delete(PATH + "/" + id).status()).isEqualTo(204);
        assertThat(sg.get(PATH + "/" + id).status()).isEqualTo(404);
        sg.assertConforms();
    }

    @Test
    void pagesOfCondensedSingleSendsFollowMetadataNextToTheEnd() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create("send " + i, List.of("c" + i)));
        }
        Set<String> seen = new LinkedHashSet<>();
        String url = emulator.baseUrl() + PATH + "?page_size=2";
        int pages = 0;
        while (url != null) {
            SendGridHttp.Response page = sg.get(url.substring(emulator.baseUrl().length()));
            assertThat(page.status()).isEqualTo(200);
            for (JsonNode s : page.json().get("result")) {
                seen.add(s.get("id").asText());
                assertThat(s.get("status").asText()).isEqualTo("draft");
                assertThat(s.get("is_abtest").asBoolean()).isFalse();
                assertThat(s.has("email_config")).as("condensed").isFalse();
            }
            assertThat(page.json().at("/_metadata/count").asInt()).isEqualTo(5);
            JsonNode next = page.json().at("/_metadata/next");
            url = next.isMissingNode() ? null : next.asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(List.copyOf(seen)).isEqualTo(ids);

        assertThat(sg.get(PATH + "?page_size=0").status()).isEqualTo(400);
        assertThat(sg.get(PATH + "?page_token=garbage").status()).isEqualTo(400);
        sg.assertConforms();
    }

    @Test
    void searchFiltersByNameStatusAndCategories() {
        create("Spring sale", List.of("promo", "spring"));
        create("Autumn sale", List.of("promo"));
        create("Newsletter", List.of("news"));

        assertThat(names(sg.post(PATH + "/search", Map.of("name", "SALE")))).containsExactly("Spring sale", "Autumn sale");
        assertThat(names(sg.post(PATH + "/search", Map.of("categories", List.of("spring", "news")))))
                .containsExactly("Spring sale", "Newsletter");
        assertThat(names(sg.post(PATH + "/search", Map.of("status", List.of("draft"), "name", "news"))))
                .containsExactly("Newsletter");
        assertThat(names(sg.post(PATH + "/search", Map.of("status", List.of("scheduled"))))).isEmpty();
        assertThat(names(sg.post(PATH + "/search?page_size=1", Map.of("name", "sale")))).containsExactly("Spring sale");

        SendGridHttp.Response badStatus = sg.post(PATH + "/search", Map.of("status", List.of("sent")));
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(message(badStatus)).contains("draft, scheduled, triggered");
        sg.assertConforms();
    }

    private static List<String> names(SendGridHttp.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        r.json().get("result").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    @Test
    void everyRuleBrokenInOneRequestIsReportedAtOnce() {
        String body = """
                {"categories": ["a","a"], "send_at": "next tuesday",
                 "send_to": {"list_ids": ["not-a-uuid"], "all": "yes"},
                 "email_config": {"editor": "word", "sender_id": "me", "custom_unsubscribe_url": "mailto:x@y"}}""";
        SendGridHttp.Response r = sg.post(PATH, body);
        assertThat(r.status()).isEqualTo(400);
        List<String> fields = r.json().get("errors").findValuesAsText("field");
        assertThat(fields).contains("name", "categories", "send_at", "send_to.list_ids", "send_to.all",
                "email_config.editor", "email_config.sender_id", "email_config.custom_unsubscribe_url");

        assertThat(message(sg.post(PATH, Map.of("name", "x", "send_at", "now")))).contains("schedule");
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("c" + i);
        }
        assertThat(message(sg.post(PATH, Map.of("name", "x", "categories", eleven)))).contains("at most 10");
        assertThat(sg.post(PATH, Map.of("name", "n".repeat(101))).status()).isEqualTo(400);
        assertThat(sg.post(PATH, Map.of("name", "n".repeat(100))).status()).isEqualTo(201);
        sg.assertConforms();
    }

    @Test
    void unknownIdsAre404AndMalformedBodiesAre400() {
        String unknown = "00000000-0000-0000-0000-000000000000";
        SendGridHttp.Response get = sg.get(PATH + "/" + unknown);
        assertThat(get.status()).isEqualTo(404);
        assertThat(message(get)).contains(unknown);
        assertThat(sg.patch(PATH + "/" + unknown, Map.of("name", "x")).status()).isEqualTo(404);
        assertThat(sg.delete(PATH + "/" + unknown).status()).isEqualTo(404);

        SendGridHttp.Response malformed = sg.post(PATH, "{\"name\": \"x\",}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(message(malformed)).startsWith("invalid JSON");
        String id = create("ok", List.of());
        assertThat(sg.patch(PATH + "/" + id, "[1]").status()).isEqualTo(400);
        sg.assertConforms();
    }
}
