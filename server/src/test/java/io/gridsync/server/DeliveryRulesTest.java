package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub's delivery rules over HTTP: per-person order through retries, dead letters and replay, consent. */
class DeliveryRulesTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.rules-0123456789";

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private final HttpClient http = HttpClient.newHttpClient();

    private void start(Map<String, String> env) throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(env));
        admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"sg","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s"}}""".formatted(SG_KEY, emulator.baseUrl()));
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void aPersonsLaterMessageWaitsForTheFailingEarlierOne() throws Exception {
        start(Map.of());
        emulator.faults().set("error_503=1.0");
        track("/v1/identify", "{\"messageId\":\"first\",\"userId\":\"ada\",\"traits\":{\"email\":\"ada@x.io\",\"last_name\":\"First\"}}");
        awaitUntil(() -> attempts("first") >= 1, "the first identify tried and failed");
        emulator.faults().clear();
        track("/v1/identify", "{\"messageId\":\"second\",\"userId\":\"ada\",\"traits\":{\"email\":\"ada@x.io\",\"last_name\":\"Second\"}}");
        track("/v1/identify", "{\"messageId\":\"other\",\"userId\":\"bob\",\"traits\":{\"email\":\"bob@x.io\"}}");

        // someone else is not held up by Ada's failure
        awaitUntil(() -> "done".equals(state("other")), "bob delivered");
        assertThat(state("second")).as("Ada's second message waits for her first").isEqualTo("pending");
        assertThat(attempts("second")).isZero();

        awaitUntil(() -> "done".equals(state("second")) && "done".equals(state("first")), "both of Ada's delivered");
        assertThat(contact("ada@x.io").path("last_name").asText()).isEqualTo("Second");
        JsonNode first = event("first").at("/deliveries/0");
        assertThat(first.path("attempt_count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(first.at("/attempts/0/outcome").asText()).isEqualTo("retry");
        assertThat(first.at("/attempts/0/status").asInt()).isEqualTo(503);
    }

    @Test
    void aJobFailingPastTheDeadLetterAgeIsDeadWithItsReasonAndCanBeReplayed() throws Exception {
        start(Map.of("GRIDSYNC_DEAD_LETTER_AFTER", "2s"));
        emulator.faults().set("error_500=1.0");
        track("/v1/identify", "{\"messageId\":\"doomed\",\"userId\":\"u\",\"traits\":{\"email\":\"late@x.io\"}}");
        awaitUntil(() -> "dead".equals(state("doomed")), "dead-lettered");

        JsonNode dead = admin("GET", "/v1/admin/dead-letters", null);
        assertThat(dead.path("count").asInt()).isEqualTo(1);
        JsonNode letter = dead.at("/dead_letters/0");
        assertThat(letter.path("message_id").asText()).isEqualTo("doomed");
        assertThat(letter.path("reason").asText()).contains("gave up after").contains("500");

        assertThat(java.time.Instant.parse(letter.path("created_at").asText())).isBefore(java.time.Instant.now());
        assertThat(letter.path("job_id").asLong()).isPositive();

        // what an operator gets wrong is a JSON error saying what to change
        assertJsonError(call("POST", "/v1/admin/dead-letters/replay", "{not json"), 400, "JSON");
        assertJsonError(call("POST", "/v1/admin/dead-letters/replay", "{\"integration\":\"nobody\"}"), 404, "no integration nobody");
        assertJsonError(call("GET", "/v1/admin/dead-letters?limit=abc", null), 400, "limit must be a whole number");
        assertJsonError(call("GET", "/v1/admin/events?before=x", null), 400, "before must be");
        assertJsonError(call("GET", "/v1/admin/no-such-thing", null), 404, "no such route: GET /v1/admin/no-such-thing");

        emulator.faults().clear();
        String integration = letter.path("integration").asText();
        JsonNode replayed = admin("POST", "/v1/admin/dead-letters/replay", "{\"integration\":\"" + integration + "\"}");
        assertThat(replayed.path("replayed").asInt()).isEqualTo(1);
        awaitUntil(() -> "done".equals(state("doomed")), "delivered after replay");
        assertThat(contact("late@x.io").path("email").asText()).isEqualTo("late@x.io");
        assertThat(admin("GET", "/v1/admin/dead-letters", null).path("count").asInt()).isZero();
    }

    @Test
    void consentWithheldBlocksDeliveryAndSaysSo() throws Exception {
        start(Map.of());
        track("/v1/identify", "{\"messageId\":\"no\",\"userId\":\"u\",\"traits\":{\"email\":\"private@x.io\"},"
                + "\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":false}}}}");
        track("/v1/identify", "{\"messageId\":\"yes\",\"userId\":\"v\",\"traits\":{\"email\":\"open@x.io\"},"
                + "\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":true}}}}");
        awaitUntil(() -> "done".equals(state("yes")), "the consenting one delivered");
        assertThat(state("no")).isEqualTo("blocked");
        assertThat(event("no").at("/deliveries/0/last_error").asText()).contains("blocked by consent: marketing");
        assertThat(contact("private@x.io").isMissingNode()).isTrue();
    }

    private void track(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertJsonError(HttpResponse<String> r, int status, String says) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(M.readTree(r.body()).path("error").asText()).contains(says);
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return M.readTree(r.body());
    }

    private JsonNode event(String messageId) {
        try {
            for (JsonNode e : admin("GET", "/v1/admin/events?limit=100", null).path("events")) {
                if (e.path("message_id").asText().equals(messageId)) {
                    return e;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return M.missingNode();
    }

    private String state(String messageId) {
        JsonNode d = event(messageId).at("/deliveries/0/state");
        return d.isMissingNode() ? null : d.asText();
    }

    private int attempts(String messageId) {
        return event(messageId).at("/deliveries/0/attempts").size();
    }

    private JsonNode contact(String email) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/search/emails"))
                .header("Authorization", "Bearer " + SG_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"emails\":[\"" + email + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
        return M.readTree(r.body()).path("result").path(email).path("contact");
    }

    private static void awaitUntil(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
