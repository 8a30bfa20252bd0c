package io.gridsync.server.audiences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.EmulatorHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub's audiences over real HTTP against the emulator: Engage-shaped events sent with Segment's
 * analytics-java through the tracking API keep the audience's state and list; the audience API's
 * member batches; scheduled cohort syncs; and what a user gets wrong. SQLite and PostgreSQL subclasses.
 */
abstract class AudienceApiContract {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.audiences-0123456789abcdef";

    @TempDir
    Path dir;
    private Emulator emulator;
    private EmulatorHttp sg;
    private Hub hub;
    private String integration;
    private final HttpClient http = HttpClient.newHttpClient();

    /** GRIDSYNC_DATABASE_URL for this run, or null for SQLite in the data directory. */
    abstract String databaseUrl();

    @BeforeEach
    void start() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5));
        sg = new EmulatorHttp(emulator, SG_KEY);
        sg.call("POST", "/v3/marketing/field_definitions", "{\"name\":\"tier\",\"field_type\":\"Text\"}");
        Map<String, String> env = databaseUrl() == null ? Map.of()
                : Map.of("GRIDSYNC_DATABASE_URL", databaseUrl(), "GRIDSYNC_DATABASE_USER", "postgres");
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(env));
        integration = install("SendGrid");
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    private String install(String name) throws Exception {
        Response r = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"%s","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s"}}
                """.formatted(name, SG_KEY, emulator.baseUrl()));
        assertThat(r.status()).as(r.body().toString()).isLessThan(300);
        return r.body().path("id").asText();
    }

    @Test
    void engageEventsSentWithAnalyticsJavaKeepTheAudienceAndItsList() throws Exception {
        Analytics analytics = Analytics.builder(hub.writeKey()).endpoint(hub.baseUrl())
                .flushQueueSize(5).flushInterval(1, TimeUnit.SECONDS).build();
        analytics.enqueue(audience("ada", "Ada@Example.com", true));
        analytics.enqueue(audience("grace", "grace@example.com", true));
        analytics.enqueue(audience("alan", "alan@example.com", false)); // leaving without ever being in
        analytics.flush();
        awaitUntil(() -> members("vip_customers").path("in_sendgrid").asLong() == 2, "both entered");

        JsonNode a = get("/v1/audiences/vip_customers");
        String listId = sg.listId("VIP customers");
        assertThat(a.at("/list/name").asText()).isEqualTo("VIP customers");
        assertThat(a.at("/list/id").asText()).isEqualTo(listId);
        assertThat(a.path("origin").asText()).isEqualTo("engage");
        assertThat(a.at("/members/desired").asLong()).isEqualTo(2);
        assertThat(a.at("/last_sync/outcome").asText()).isEqualTo("ok");
        assertThat(sg.listEmails(listId)).containsExactlyInAnyOrder("ada@example.com", "grace@example.com");
        assertThat(get("/v1/audiences").path("audiences").findValuesAsText("key")).containsExactly("vip_customers");

        analytics.enqueue(audience("grace", "grace@example.com", false));
        analytics.flush();
        analytics.shutdown();
        awaitUntil(() -> members("vip_customers").path("in_sendgrid").asLong() == 1, "Grace left");
        assertThat(members("vip_customers").path("desired").asLong()).isEqualTo(1);
        assertThat(sg.listEmails(listId)).containsExactly("ada@example.com");
        assertThat(sg.contact("grace@example.com").path("email").asText()).isEqualTo("grace@example.com"); // kept as a contact
    }

    @Test
    void memberBatchesThroughTheApiAreAcceptedDurablyAndApplied() throws Exception {
        Response r = admin("PUT", "/v1/audiences/beta_testers/members", """
                {"list_name": "Beta testers",
                 "add": [{"email": "Ada@Example.com", "first_name": "Ada", "tier": "gold"},
                         {"email": "bob@example.com", "last_name": "Builder", "custom_fields": {"favourite_colour": "red"}},
                         {"email": "not-an-email"},
                         {"email": "cy@example.com"},
                         {"email": "ada@example.com", "last_name": "Lovelace"},
                         {"email": "dup@example.com"}],
                 "remove": [{"email": "gone@example.com"}, "dup@example.com", {"nope": 1}]}
                """);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        assertThat(r.body().at("/accepted/add").asInt()).isEqualTo(3);
        assertThat(r.body().at("/accepted/remove").asInt()).isEqualTo(1);
        assertThat(r.body().at("/rejected/count").asInt()).isEqualTo(4);
        assertThat(r.body().at("/rejected/items").findValuesAsText("reason"))
                .anyMatch(s -> s.contains("'not-an-email' is not a valid email address"))
                .anyMatch(s -> s.contains("also in remove"))
                .anyMatch(s -> s.contains("no email"));

        awaitUntil(() -> members("beta_testers").path("pending").asLong() == 0, "the worker applied the changes");
        JsonNode m = members("beta_testers");
        assertThat(m.path("desired").asLong()).isEqualTo(3);
        assertThat(m.path("in_sendgrid").asLong()).isEqualTo(3);
        String listId = sg.listId("Beta testers");
        assertThat(sg.listEmails(listId)).containsExactlyInAnyOrder("ada@example.com", "bob@example.com", "cy@example.com");
        JsonNode ada = sg.contact("ada@example.com");
        assertThat(ada.path("first_name").asText()).isEqualTo("Ada");
        assertThat(ada.path("last_name").asText()).isEqualTo("Lovelace"); // the same person twice: merged
        assertThat(ada.path("custom_fields").path("tier").asText()).isEqualTo("gold");
        assertThat(sg.contact("bob@example.com").path("last_name").asText()).isEqualTo("Builder");

        Response out = admin("PUT", "/v1/audiences/beta_testers/members", "{\"remove\": [{\"email\": \"BOB@example.com\"}]}");
        assertThat(out.status()).isEqualTo(202);
        awaitUntil(() -> members("beta_testers").path("in_sendgrid").asLong() == 2, "Bob removed");
        assertThat(sg.listEmails(listId)).containsExactlyInAnyOrder("ada@example.com", "cy@example.com");
        assertThat(sg.contactCount()).isEqualTo(3); // Bob's contact stays
    }

    @Test
    void scheduledSyncsRunFromACsvFileAndASqlQueryAndAreRecorded() throws Exception {
        StringBuilder csv = new StringBuilder("email,first_name\n");
        for (int i = 0; i < 500; i++) {
            csv.append("reader").append(i).append("@example.com,Reader").append(i).append('\n');
        }
        csv.append("broken@,x\n");
        Path file = Files.writeString(dir.resolve("data/imports/readers.csv"), csv); // cohort files come from the import directory

        Response created = admin("POST", "/v1/audiences/readers/syncs", """
                {"source": {"csv": "%s"}, "schedule": "once", "list_name": "Readers"}
                """.formatted(file.toAbsolutePath()));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String syncId = created.body().path("id").asText();
        awaitUntil(() -> "ok".equals(get("/v1/audiences/readers").at("/last_sync/outcome").asText(null)), "the once sync ran");

        JsonNode a = get("/v1/audiences/readers");
        assertThat(a.at("/members/desired").asLong()).isEqualTo(500);
        assertThat(a.at("/members/in_sendgrid").asLong()).isEqualTo(500);
        assertThat(a.at("/last_sync/adds").asLong()).isEqualTo(500);
        assertThat(a.at("/last_sync/skipped").asLong()).isEqualTo(1);
        assertThat(a.at("/recent_runs/0/trigger").asText()).isEqualTo("schedule");
        assertThat(a.at("/recent_runs/0/sync_id").asText()).isEqualTo(syncId);
        assertThat(a.at("/syncs/0/enabled").asBoolean()).isFalse();
        assertThat(a.at("/syncs/0/last_outcome").asText()).isEqualTo("ok");
        assertThat(sg.listCount(sg.listId("Readers"))).isEqualTo(500);

        // run it again on demand: nothing changed
        assertThat(admin("POST", "/v1/audiences/readers/syncs/" + syncId + "/run", null).status()).isEqualTo(202);
        awaitUntil(() -> get("/v1/audiences/readers/runs").path("runs").size() == 2, "the second run");
        assertThat(get("/v1/audiences/readers/runs").at("/runs/0/unchanged").asLong()).isEqualTo(500);

        // an hourly sync from a SQL query (SQLite here); the password never comes back
        Path db = dir.resolve("data/imports/crm.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE people (mail TEXT, given TEXT, churned INTEGER)");
            s.execute("INSERT INTO people VALUES ('p1@example.com', 'P1', 1), ('p2@example.com', 'P2', 0), ('P3@example.com', 'P3', 1)");
        }
        Response hourly = admin("POST", "/v1/audiences/churned/syncs", """
                {"source": {"jdbc_url": "jdbc:sqlite:%s", "query": "SELECT mail, given FROM people WHERE churned = 1",
                            "password": "s3cret-pw"},
                 "schedule": "hourly", "map": {"mail": "email", "given": "first_name"}}
                """.formatted(db));
        assertThat(hourly.status()).as(hourly.body().toString()).isEqualTo(201);
        assertThat(hourly.body().toString()).doesNotContain("s3cret-pw");
        assertThat(hourly.body().at("/source/password").asText()).isEqualTo("***");
        awaitUntil(() -> get("/v1/audiences/churned").at("/members/in_sendgrid").asLong() == 2, "the hourly sync's first run");
        JsonNode sync = get("/v1/audiences/churned/syncs").at("/syncs/0");
        assertThat(sync.path("enabled").asBoolean()).isTrue();
        assertThat(Duration.between(java.time.Instant.parse(sync.path("last_run_at").asText()),
                java.time.Instant.parse(sync.path("next_run_at").asText()))).isEqualTo(Duration.ofHours(1));
        assertThat(sg.listEmails(sg.listId("churned"))).isEqualTo(Set.of("p1@example.com", "p3@example.com"));
        assertThat(admin("DELETE", "/v1/audiences/churned/syncs/" + sync.path("id").asText(), null).status()).isEqualTo(200);
        assertThat(get("/v1/audiences/churned/syncs").path("syncs")).isEmpty();
    }

    @Test
    void mistakesGetClearAnswers() throws Exception {
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/audiences")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(noToken.body()).contains("Authorization: Bearer");

        assertError(admin("GET", "/v1/audiences/nobody", null), 404, "no audience 'nobody'");
        assertError(admin("PUT", "/v1/audiences/x/members", "{}"), 400, "nothing to do");
        assertError(admin("PUT", "/v1/audiences/x/members", "{\"add\": {\"email\": \"a@b.co\"}}"), 400, "add must be an array");
        assertError(admin("PUT", "/v1/audiences/x/members", "{\"adds\": []}"), 400, "unknown field adds");
        assertError(admin("PUT", "/v1/audiences/x/members", "{\"add\": [{\"email\": \"nope\"}]}"), 400, "none of the 1 members");
        StringBuilder many = new StringBuilder("{\"add\": [");
        for (int i = 0; i <= AudienceApi.MAX_MEMBERS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"email\":\"m").append(i).append("@x.io\"}");
        }
        assertError(admin("PUT", "/v1/audiences/x/members", many + "]}"), 400, "send them in batches");
        assertError(admin("POST", "/v1/audiences/x/syncs", "{\"schedule\": \"once\"}"), 400, "source is required");
        assertError(admin("POST", "/v1/audiences/x/syncs", "{\"source\": {\"csv\": \"/no/such.csv\"}, \"schedule\": \"once\"}"),
                400, "cohort files are read from the import directory");
        assertError(admin("POST", "/v1/audiences/x/syncs", "{\"source\": {\"jdbc_url\": \"jdbc:mysql://db/x\", \"query\": \"SELECT 1\"}, "
                + "\"schedule\": \"once\"}"), 400, "GRIDSYNC_COHORT_JDBC_DRIVERS");
        Path f = Files.writeString(dir.resolve("data/imports/a.csv"), "email\na@b.co\n");
        assertError(admin("POST", "/v1/audiences/x/syncs", "{\"source\": {\"csv\": \"" + f + "\"}, \"schedule\": \"weekly\"}"),
                400, "once, hourly, daily");
        assertError(admin("DELETE", "/v1/audiences/x/syncs/sync_nope", null), 404, "no scheduled sync sync_nope");

        install("Second account");
        assertError(admin("GET", "/v1/audiences", null), 400, "say which with ?integration=ID");
        assertThat(admin("GET", "/v1/audiences?integration=" + integration, null).status()).isEqualTo(200);
        assertError(admin("GET", "/v1/audiences?integration=int_nope", null), 404, "no integration int_nope");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static IdentifyMessage.Builder audience(String userId, String email, boolean member) {
        return IdentifyMessage.builder().userId(userId).traits(Map.of("email", email, "vip_customers", member))
                .context(Map.of("personas", Map.of("computation_class", "audience", "computation_key", "vip_customers",
                        "audience_settings", Map.of("listName", "VIP customers"))));
    }

    private record Response(int status, JsonNode body) {}

    private Response admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body()));
    }

    private JsonNode get(String path) {
        try {
            Response r = admin("GET", path, null);
            assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
            return r.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode members(String key) {
        try {
            Response r = admin("GET", "/v1/audiences/" + key, null);
            return r.status() == 200 ? r.body().path("members") : M.createObjectNode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(Response r, int status, String contains) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.body().path("error").asText()).contains(contains);
    }

    private static void awaitUntil(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
