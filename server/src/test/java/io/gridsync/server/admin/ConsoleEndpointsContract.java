package io.gridsync.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin routes the console's pages need, called as curl would: live events with filters and
 * detail, the subscription preview, the overview's counts, warehouse tables and the audience
 * dry run; with their refusals. Run on SQLite and on PostgreSQL by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleEndpointsContract {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.endpoints-0123456789abcdef";
    private Path dir;
    private Emulator emulator;
    private Hub hub;
    private String integration;
    private final HttpClient http = HttpClient.newHttpClient();

    /** The state database's settings: none for SQLite in the data directory. */
    abstract java.util.Map<String, String> database();

    /** Releases what {@link #database()} started. */
    void closeDatabase() {}

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("console-endpoints");
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS)
                .withEnvironment(database()));
        HubCalls.installSendGrid(hub.baseUrl(), hub.adminToken(), "SendGrid", SG_KEY, emulator.baseUrl());
        integration = call("GET", "/v1/admin/integrations", null).body().path("integrations").get(0).path("id").asText();
        HubCalls.collect(hub.baseUrl(), hub.writeKey(), "/v1/identify",
                "{\"userId\":\"ada\",\"traits\":{\"email\":\"ada@example.com\",\"first_name\":\"Ada\"}}");
        HubCalls.collect(hub.baseUrl(), hub.writeKey(), "/v1/track",
                "{\"userId\":\"bob\",\"event\":\"Signed Up\",\"context\":{\"traits\":{\"email\":\"bob@example.com\"}}}");
        long until = System.nanoTime() + 20_000_000_000L;
        while (call("GET", "/v1/admin/events?outcome=delivered", null).body().path("events").size() < 1 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        emulator.close();
        closeDatabase();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void liveEventsFilterByEmailUserEventAndOutcomeAndShowOneMessageWhole() {
        JsonNode all = call("GET", "/v1/admin/events", null).body().path("events");
        assertThat(all).hasSize(2);
        JsonNode byEmail = call("GET", "/v1/admin/events?email=ADA@", null).body().path("events");
        assertThat(byEmail).hasSize(1);
        assertThat(byEmail.get(0).path("email").asText()).isEqualTo("ada@example.com");
        assertThat(byEmail.get(0).path("outcome").asText()).isEqualTo("delivered");
        assertThat(call("GET", "/v1/admin/events?user=bo", null).body().path("events").get(0).path("email").asText())
                .isEqualTo("bob@example.com"); // a track's email from context.traits
        assertThat(call("GET", "/v1/admin/events?event=Signed%20Up", null).body().path("events")).hasSize(1);
        assertThat(call("GET", "/v1/admin/events?event=Signed", null).body().path("events")).isEmpty();
        JsonNode paged = call("GET", "/v1/admin/events?limit=1", null).body();
        assertThat(paged.path("events")).hasSize(1);
        assertThat(call("GET", "/v1/admin/events?limit=1&before=" + paged.path("next_before").asLong(), null).body().path("events"))
                .hasSize(1);

        Answer bad = call("GET", "/v1/admin/events?outcome=lost", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").asText()).contains("outcome must be one of");

        long seq = byEmail.get(0).path("seq").asLong();
        JsonNode one = call("GET", "/v1/admin/events/" + seq, null).body();
        assertThat(one.path("message").path("traits").path("first_name").asText()).isEqualTo("Ada");
        assertThat(one.path("deliveries").get(0).path("attempts").get(0).path("status").asInt()).isEqualTo(202);
        assertThat(call("GET", "/v1/admin/events/999999", null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/admin/events/abc", null).status()).isEqualTo(400);
    }

    @Test
    void thePreviewAnswersThePayloadAndNamesTheFieldInError() {
        String base = "/v1/admin/integrations/" + integration + "/subscriptions/preview";
        Answer ok = call("POST", base, """
                {"subscription": {"trigger": "type = \\"identify\\"", "action": "upsert_contact",
                                  "mapping": {"first_name": {"@path": "$.traits.nickname"}}},
                 "message": {"type": "identify", "userId": "u1", "traits": {"email": "lin@example.com", "nickname": "Linnie"}}}""");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().path("matches").asBoolean()).isTrue();
        assertThat(ok.body().path("payload").path("first_name").asText()).isEqualTo("Linnie");
        assertThat(ok.body().path("missing_required")).isEmpty();

        Answer noMatch = call("POST", base, """
                {"subscription": {"trigger": "type = \\"track\\"", "action": "upsert_contact"},
                 "message": {"type": "identify", "userId": "u1", "context": {"consent": {"categoryPreferences": {"marketing": false}}}}}""");
        assertThat(noMatch.body().path("matches").asBoolean()).isFalse();
        assertThat(noMatch.body().path("blocked_by_consent").asBoolean()).isTrue();

        Answer badTrigger = call("POST", base, """
                {"subscription": {"trigger": "type = ", "action": "upsert_contact"}, "message": {"type": "identify"}}""");
        assertThat(badTrigger.status()).isEqualTo(422);
        assertThat(badTrigger.body().path("fields").has("trigger")).isTrue();
        Answer badMapping = call("POST", base, """
                {"subscription": {"trigger": "type = \\"identify\\"", "action": "upsert_contact", "mapping": {"nope": "x"}},
                 "message": {"type": "identify"}}""");
        assertThat(badMapping.status()).isEqualTo(422);
        assertThat(badMapping.body().path("fields").path("mapping").asText()).contains("no field 'nope'");
        Answer badAction = call("POST", base, """
                {"subscription": {"trigger": "type = \\"identify\\"", "action": "mail_merge"}, "message": {"type": "identify"}}""");
        assertThat(badAction.body().path("fields").path("action").asText()).contains("unknown action");
        assertThat(call("POST", base, "{\"subscription\": {}}").status()).isEqualTo(400);
        assertThat(call("POST", "/v1/admin/integrations/int_nothing/subscriptions/preview",
                "{\"subscription\": {}, \"message\": {}}").status()).isEqualTo(404);
        // nothing was saved
        assertThat(call("GET", "/v1/admin/integrations/" + integration + "/subscriptions", null).body().path("subscriptions").toString())
                .doesNotContain("nickname");
    }

    @Test
    void theOverviewCountsTheLastHourPerMinute() {
        JsonNode o = call("GET", "/v1/admin/overview", null).body();
        assertThat(o.path("bucket_seconds").asInt()).isEqualTo(60);
        assertThat(o.path("buckets")).hasSize(60);
        long accepted = 0;
        long delivered = 0;
        for (JsonNode b : o.path("buckets")) {
            accepted += b.path("accepted").asLong();
            delivered += b.path("delivered").asLong();
        }
        assertThat(accepted).isEqualTo(2);
        assertThat(delivered).isGreaterThanOrEqualTo(1);
        assertThat(o.path("queue").path("dead").asLong()).isZero();
        assertThat(o.path("endpoints").toString()).contains("PUT /v3/marketing/contacts").contains("\"status\":202");
        assertThat(call("GET", "/v1/admin/overview?minutes=2", null).status()).isEqualTo(400);
        assertThat(call("GET", "/v1/admin/overview?minutes=1440", null).body().path("bucket_seconds").asInt()).isEqualTo(1440);
    }

    @Test
    void warehouseTablesSayRowsAndNewestTimes() {
        HttpResponse<String> posted = post("/v1/webhooks/sendgrid", """
                [{"email":"ada@example.com","timestamp":1700000000,"event":"delivered","sg_event_id":"e1","sg_message_id":"m1"}]""");
        assertThat(posted.statusCode()).isLessThan(300);
        JsonNode w = call("GET", "/v1/admin/warehouse/tables", null).body();
        assertThat(w.path("warehouse").asText()).contains("SQLite");
        JsonNode delivered = null;
        for (JsonNode t : w.path("tables")) {
            if (t.path("schema").asText().equals("sendgrid") && t.path("table").asText().equals("delivered")) {
                delivered = t;
            }
        }
        assertThat(delivered).isNotNull();
        assertThat(delivered.path("rows").asLong()).isEqualTo(1);
        assertThat(delivered.path("rows_last_hour").asLong()).isEqualTo(1);
        assertThat(delivered.path("newest_received_at").asText()).isNotBlank();
    }

    @Test
    void anAudienceDryRunPlansWithoutChangingAnything() throws Exception {
        Files.writeString(dir.resolve("data").resolve("imports").resolve("vip.csv"), "email\nada@example.com\nnot-an-email\n");
        Answer plan = call("POST", "/v1/audiences/vip/dry-run", "{\"source\": {\"csv\": \"vip.csv\"}}");
        assertThat(plan.status()).isEqualTo(200);
        assertThat(plan.body().path("dry_run").asBoolean()).isTrue();
        assertThat(plan.body().path("adds").asLong()).isEqualTo(1);
        assertThat(plan.body().path("skipped").asLong()).isEqualTo(1);
        assertThat(call("GET", "/v1/audiences/vip/runs", null).status()).isEqualTo(404); // no audience was made

        Answer missing = call("POST", "/v1/audiences/vip/dry-run", "{\"source\": {\"csv\": \"nothing.csv\"}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("error").asText()).contains("nothing.csv");
        assertThat(call("POST", "/v1/audiences/vip/dry-run", "{\"source\": {\"csv\": \"vip.csv\"}, \"schedule\": \"daily\"}").status())
                .isEqualTo(400);
        assertThat(call("POST", "/v1/audiences/vip/syncs/sync_nothing/dry-run", null).status()).isEqualTo(404);

        String id = call("POST", "/v1/audiences/vip/syncs", "{\"source\": {\"csv\": \"vip.csv\"}, \"schedule\": \"daily\"}")
                .body().path("id").asText();
        Answer scheduled = call("POST", "/v1/audiences/vip/syncs/" + id + "/dry-run", null);
        assertThat(scheduled.status()).isEqualTo(200);
        assertThat(scheduled.body().path("adds").asLong()).isEqualTo(1);
    }

    @Test
    void aSignedOutSessionIsRefusedThoughItsCookieIsStillSent() throws Exception {
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"token\":\"" + hub.adminToken() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        String csrf = M.readTree(in.body()).path("csrf_token").asText();
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/overview")).header("Cookie", cookie);
        assertThat(http.send(get.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/session")).header("Cookie", cookie)
                .header("X-CSRF-Token", csrf).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(http.send(get.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer call(String method, String path, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Authorization", "Bearer " + hub.adminToken())
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                b.header("Content-Type", "application/json");
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().isEmpty() ? M.createObjectNode() : M.readTree(r.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String path, String json) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
