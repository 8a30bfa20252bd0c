package io.gridsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sendgrid.Method;
import com.sendgrid.Request;
import com.sendgrid.Response;
import com.sendgrid.SendGrid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists, custom fields, segments, single sends and templates driven by SendGrid's official Java
 * client, the way a user's code calls them, against the emulator over plain HTTP.
 */
class MarketingOfficialClientTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Emulator emulator;
    private SendGrid client;

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0));
        client = new SendGrid("SG.official-client", true); // true: the client's "test" mode speaks http, not https
        client.setHost("127.0.0.1:" + emulator.port());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private Response call(Method method, String endpoint, Object body, Map<String, String> query) throws IOException {
        Request request = new Request();
        request.setMethod(method);
        request.setEndpoint(endpoint);
        if (body != null) {
            request.setBody(MAPPER.writeValueAsString(body));
        }
        query.forEach(request::addQueryParam);
        return client.api(request);
    }

    private static JsonNode json(Response r) throws IOException {
        return MAPPER.readTree(r.getBody());
    }

    @Test
    void listsAreCreatedAndPagedWithTheClient() throws IOException {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Response r = call(Method.POST, "marketing/lists", Map.of("name", "client list " + i), Map.of());
            assertThat(r.getStatusCode()).isEqualTo(201);
            created.add(json(r).get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            Response page = call(Method.GET, "marketing/lists", null,
                    token == null ? Map.of("page_size", "2") : Map.of("page_size", "2", "page_token", token));
            assertThat(page.getStatusCode()).isEqualTo(200);
            JsonNode body = json(page);
            body.get("result").forEach(l -> seen.add(l.get("id").asText()));
            JsonNode next = body.at("/_metadata/next");
            // a client pages by taking page_token out of the next URL, as SendGrid's docs show
            token = next.isMissingNode() ? null : next.asText().replaceAll(".*[?&]page_token=([^&]+).*", "$1");
        } while (token != null);
        assertThat(seen).isEqualTo(created);

        Response missing = call(Method.GET, "marketing/lists/00000000-0000-0000-0000-000000000000", null, Map.of());
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(json(missing).at("/errors/0/message").asText()).contains("not found");
    }

    @Test
    void customFieldsAreCreatedAndListedWithTheClient() throws IOException {
        Response created = call(Method.POST, "marketing/field_definitions",
                Map.of("name", "shoe_size", "field_type", "Number"), Map.of());
        assertThat(created.getStatusCode()).isEqualTo(200);
        String id = json(created).get("id").asText();

        JsonNode all = json(call(Method.GET, "marketing/field_definitions", null, Map.of()));
        assertThat(all.get("custom_fields")).extracting(f -> f.get("id").asText()).containsExactly(id);
        assertThat(all.get("reserved_fields").size()).isGreaterThan(20);

        Response reserved = call(Method.POST, "marketing/field_definitions",
                Map.of("name", "EMAIL", "field_type", "Text"), Map.of());
        assertThat(reserved.getStatusCode()).isEqualTo(400);
        assertThat(call(Method.DELETE, "marketing/field_definitions/" + id, null, Map.of()).getStatusCode()).isEqualTo(204);
    }

    @Test
    void segmentsAreCreatedAndFilteredWithTheClient() throws IOException {
        String list = json(call(Method.POST, "marketing/lists", Map.of("name", "base"), Map.of())).get("id").asText();
        Response created = call(Method.POST, "marketing/segments/2.0", Map.of("name", "gmail users",
                "query_dsl", "SELECT contact_id, updated_at FROM contact_data WHERE email LIKE '%gmail.com'",
                "parent_list_ids", List.of(list)), Map.of());
        assertThat(created.getStatusCode()).isEqualTo(201);
        String id = json(created).get("id").asText();

        JsonNode filtered = json(call(Method.GET, "marketing/segments/2.0", null, Map.of("parent_list_ids", list)));
        assertThat(filtered.get("results")).extracting(s -> s.get("id").asText()).containsExactly(id);
        assertThat(call(Method.DELETE, "marketing/segments/2.0/" + id, null, Map.of()).getStatusCode()).isEqualTo(202);
    }

    @Test
    void singleSendsAreCreatedAndReadWithTheClient() throws IOException {
        Response created = call(Method.POST, "marketing/singlesends", Map.of("name", "Launch",
                "categories", List.of("launch"), "email_config", Map.of("subject", "We are live")), Map.of());
        assertThat(created.getStatusCode()).isEqualTo(201);
        String id = json(created).get("id").asText();

        JsonNode got = json(call(Method.GET, "marketing/singlesends/" + id, null, Map.of()));
        assertThat(got.at("/email_config/subject").asText()).isEqualTo("We are live");
        JsonNode page = json(call(Method.GET, "marketing/singlesends", null, Map.of("page_size", "10")));
        assertThat(page.get("result")).extracting(s -> s.get("name").asText()).containsExactly("Launch");
    }

    @Test
    void dynamicTemplatesAndVersionsAreCreatedWithTheClient() throws IOException {
        Response template = call(Method.POST, "templates", Map.of("name", "Welcome", "generation", "dynamic"), Map.of());
        assertThat(template.getStatusCode()).isEqualTo(201);
        String id = json(template).get("id").asText();
        assertThat(id).startsWith("d-");

        Response version = call(Method.POST, "templates/" + id + "/versions",
                Map.of("name", "v1", "subject", "Welcome, {{first_name}}", "html_content", "<p>Hi {{first_name}}</p>"), Map.of());
        assertThat(version.getStatusCode()).isEqualTo(201);
        assertThat(json(version).get("active").asInt()).isEqualTo(1);

        JsonNode listed = json(call(Method.GET, "templates", null, Map.of("generations", "dynamic", "page_size", "10")));
        assertThat(listed.get("result")).extracting(t -> t.get("id").asText()).containsExactly(id);
        assertThat(listed.at("/result/0/versions/0/subject").asText()).isEqualTo("Welcome, {{first_name}}");
    }
}
