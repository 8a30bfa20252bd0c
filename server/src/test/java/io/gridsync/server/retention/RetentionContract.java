package io.gridsync.server.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.store.Database;
import io.gridsync.server.testing.MutableClock;
import io.gridsync.server.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention keeps only what is unfinished: after delivery to the emulator, the journal, jobs and
 * attempts hold just the pending and dead work; a dead letter's message and attempts survive, so do
 * messages the router has not reached and finished work younger than the retention. Run on SQLite
 * and PostgreSQL by the subclasses.
 */
abstract class RetentionContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String SG_KEY = "SG.retention-0123456789";
    static final long DAY = Duration.ofDays(1).toMillis();

    @TempDir
    Path dir;
    Emulator emulator;
    Hub hub;
    final MutableClock clock = new MutableClock();
    final HttpClient http = HttpClient.newHttpClient();

    abstract TestDatabases databases();

    /** The hub's database settings: empty for SQLite in the data directory. */
    abstract Map<String, String> databaseEnvironment();

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    /** Whether the installed integration creates the behaviour fields it writes (lifetime_value and the like). */
    boolean createMissingFields;

    Hub startHub(Map<String, String> settings) throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(5));
        Map<String, String> env = new HashMap<>(databaseEnvironment());
        env.putAll(settings);
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(env), clock);
        admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"sg","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","create_missing_fields":%s}}""".formatted(SG_KEY, emulator.baseUrl(),
                createMissingFields));
        return hub;
    }

    @Test
    void afterDeliveryOnlyPendingAndDeadWorkRemains() throws Exception {
        startHub(Map.of("GRIDSYNC_JOURNAL_RETENTION", "1h"));
        Database db = hub.database();
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(identify("ok-" + i, "person" + i, "p" + i + "@x.io", ""));
        }
        batch.add(identify("no-consent", "private", "private@x.io",
                ",\"context\":{\"consent\":{\"categoryPreferences\":{\"marketing\":false}}}"));
        collect(batch);
        awaitUntil(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE state IN ('done', 'blocked')") == 21, "all delivered or blocked");

        // younger than the retention: kept
        assertThat(hub.retention().runOnce().getOrDefault("messages", 0L)).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM messages")).isEqualTo(21);

        // a dead letter: failing past the dead-letter age (a day later, by the hub's clock)
        emulator.faults().set("error_500=1.0");
        collect(List.of(identify("doomed", "d", "doomed@x.io", "")));
        awaitUntil(() -> count(db, "SELECT COUNT(*) FROM attempts a JOIN messages m ON m.seq = a.message_seq "
                + "WHERE m.message_id = 'doomed'") >= 1, "the doomed identify tried");
        clock.set(Instant.now().plus(Duration.ofHours(25)));
        awaitUntil(() -> "dead".equals(jobState(db, "doomed")), "dead-lettered");
        clock.set(null);

        // a job waiting for its retry
        collect(List.of(identify("waiting", "w", "waiting@x.io", "")));
        awaitUntil(() -> count(db, "SELECT COUNT(*) FROM attempts a JOIN messages m ON m.seq = a.message_seq "
                + "WHERE m.message_id = 'waiting'") >= 1, "the waiting identify tried");

        // two hours on: everything finished is past the 1 h retention
        clock.set(Instant.now().plus(Duration.ofHours(2)));
        hub.retention().runOnce();

        assertThat(strings(db, "SELECT message_id FROM messages")).containsExactlyInAnyOrder("doomed", "waiting");
        assertThat(strings(db, "SELECT state FROM jobs")).containsExactlyInAnyOrder("dead", "pending");
        assertThat(count(db, "SELECT COUNT(*) FROM attempts WHERE job_id NOT IN (SELECT id FROM jobs)")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.state = 'dead'"))
                .as("a dead letter keeps its attempts").isGreaterThanOrEqualTo(1);
        JsonNode dead = admin("GET", "/v1/admin/dead-letters", null);
        assertThat(dead.path("count").asInt()).isEqualTo(1);
        assertThat(dead.at("/dead_letters/0/message_id").asText()).isEqualTo("doomed");
        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/dead-letters/discard"))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"integration\":\"other\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).as("an integration nobody knows: " + other.body()).isEqualTo(404);
        assertThat(admin("GET", "/v1/admin/dead-letters", null).path("count").asInt()).as("the dead letter stays").isEqualTo(1);
        assertThat(admin("GET", "/v1/admin/events?limit=50", null).path("events").findValuesAsText("message_id"))
                .containsExactlyInAnyOrder("doomed", "waiting");

        // replayed and delivered (still two hours on: the waiting job's next retry is due by then), it goes too
        emulator.faults().clear();
        admin("POST", "/v1/admin/dead-letters/replay", "{\"integration\":\"" + dead.at("/dead_letters/0/integration").asText() + "\"}");
        awaitUntil(() -> "done".equals(jobState(db, "doomed")) && "done".equals(jobState(db, "waiting")), "both delivered");
        clock.set(Instant.now().plus(Duration.ofHours(4)));
        hub.retention().runOnce();
        assertThat(count(db, "SELECT COUNT(*) FROM messages")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM jobs")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM attempts")).isZero();
        String metrics = scrape();
        assertThat(metrics).contains("gridsync_retention_removed_rows_total{table=\"messages\"} 23.0")
                .contains("# HELP gridsync_state_database_bytes").contains("# HELP gridsync_data_dir_free_bytes")
                .contains("# HELP gridsync_warehouse_bytes");
        for (String gauge : List.of("gridsync_state_database_bytes", "gridsync_warehouse_bytes", "gridsync_data_dir_free_bytes")) {
            assertThat(gaugeValue(metrics, gauge)).as(gauge).isPositive();
        }
    }

    @Test
    void theLifetimeValueLedgerGoesWithItsMessagesAndTheTotalsStay() throws Exception {
        createMissingFields = true;
        startHub(Map.of("GRIDSYNC_JOURNAL_RETENTION", "1h"));
        Database db = hub.database();
        collect(List.of(identify("ltv-id", "buyer", "buyer@x.io", ""),
                "{\"type\":\"track\",\"messageId\":\"ltv-order\",\"userId\":\"buyer\",\"event\":\"Order Completed\","
                        + "\"properties\":{\"order_id\":\"o-1\",\"revenue\":49.9,\"currency\":\"USD\"}}"));
        awaitUntil(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE state = 'done'") == count(db, "SELECT COUNT(*) FROM jobs")
                && count(db, "SELECT COUNT(*) FROM value_applied") == 1, "the order counted into the lifetime value "
                + strings(db, "SELECT j.action || ' ' || j.state || ' ' || COALESCE(a.detail, '') FROM jobs j LEFT JOIN attempts a ON a.job_id = j.id"));
        assertThat(strings(db, "SELECT message_id FROM value_applied")).containsExactly("ltv-order");

        // younger than the retention: the ledger keeps guarding the order against a second count
        hub.retention().runOnce();
        assertThat(count(db, "SELECT COUNT(*) FROM value_applied")).isEqualTo(1);

        clock.set(Instant.now().plus(Duration.ofHours(2)));
        java.util.Map<String, Long> removed = hub.retention().runOnce();
        assertThat(count(db, "SELECT COUNT(*) FROM messages")).isZero();
        assertThat(count(db, "SELECT COUNT(*) FROM value_applied")).as("the ledger row went with its message").isZero();
        assertThat(removed).containsEntry("value_applied", 1L);
        assertThat(strings(db, "SELECT total FROM value_totals")).as("the running total stays").containsExactly("49.9");
        assertThat(scrape()).contains("gridsync_retention_removed_rows_total{table=\"value_applied\"} 1.0");
    }

    /**
     * The rules on a database alone: what is not routed, pending, dead or young stays; each source's
     * and audience's latest run stays; delivered forwards go after 48 h, pending and dead ones stay.
     */
    @Test
    void whatIsUnfinishedOrYoungIsNeverRemoved() throws Exception {
        try (TestDatabases dbs = databases(); Database db = dbs.open(dbs.create())) {
            long now = System.currentTimeMillis();
            long old = now - 10 * DAY;
            for (int seq = 1; seq <= 10; seq++) {
                exec(db, "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) VALUES (?, 'k', 'track', 'p', ?, '{}')",
                        "m" + seq, old);
            }
            exec(db, "INSERT INTO messages (message_id, write_key, type, person_key, received_at, body) VALUES ('young', 'k', 'track', 'p', ?, '{}')", now);
            exec(db, "INSERT INTO cursors (name, seq) VALUES ('router', 8)"); // 9, 10 and 'young' not routed yet
            job(db, 1, "done", old);
            job(db, 2, "done", now); // finished only now: kept with its message
            job(db, 3, "pending", old);
            job(db, 4, "dead", old);
            job(db, 5, "blocked", old);
            job(db, 6, "done", old);
            job(db, 6, "pending", old); // one of two jobs still pending: the message stays
            job(db, 7, "dead", old);
            long discarded = count(db, "SELECT id FROM jobs WHERE message_seq = 7");
            assertThat(new io.gridsync.server.jobs.JobQueue(db, Duration.ofHours(24)).discard("i", List.of(discarded), old + 1))
                    .as("a dead letter discarded through the admin API").isEqualTo(1);
            for (String status : List.of("succeeded", "failed", "succeeded")) {
                exec(db, "INSERT INTO source_runs (source, trigger_kind, status, started_at, finished_at, heartbeat_at) "
                        + "VALUES ('sendgrid', 'schedule', ?, ?, ?, ?)", status, old, old, old);
            }
            exec(db, "INSERT INTO source_runs (source, trigger_kind, status, started_at, heartbeat_at) VALUES ('other', 'admin', 'running', ?, ?)", old, old);
            for (int i = 0; i < 2; i++) {
                exec(db, "INSERT INTO audience_runs (integration_id, audience_key, run_trigger, started_at, finished_at, outcome, adds, removes, "
                        + "updates, unchanged, skipped, failed, report) VALUES ('i', 'vip', 'cli', ?, ?, 'ok', 0, 0, 0, 0, 0, 0, '{}')", old, old);
            }
            for (String state : List.of("delivered", "pending", "dead")) {
                exec(db, "INSERT INTO forward_outbox (source, event_id, body, state, attempts, next_at, created_at, updated_at) "
                        + "VALUES ('sendgrid', ?, '{}', ?, 1, ?, ?, ?)", "e-" + state, state, old, old, old);
            }

            Retention retention = new Retention(db, new io.gridsync.server.retention.RetentionSettings(Duration.ofDays(7), Duration.ofDays(7)),
                    null, List::of, java.time.Clock.systemUTC(), new SimpleMeterRegistry());
            Map<String, Long> removed = retention.runOnce();

            assertThat(strings(db, "SELECT message_id FROM messages"))
                    .containsExactlyInAnyOrder("m2", "m3", "m4", "m6", "m9", "m10", "young");
            assertThat(strings(db, "SELECT state FROM jobs")).containsExactlyInAnyOrder("done", "pending", "dead", "pending");
            assertThat(count(db, "SELECT COUNT(*) FROM attempts")).isEqualTo(4); // one per job left
            assertThat(strings(db, "SELECT status FROM source_runs")).containsExactlyInAnyOrder("succeeded", "running");
            assertThat(count(db, "SELECT COUNT(*) FROM audience_runs")).isEqualTo(1);
            assertThat(strings(db, "SELECT state FROM forward_outbox")).containsExactlyInAnyOrder("pending", "dead");
            assertThat(removed).containsEntry("messages", 4L).containsEntry("jobs", 4L).containsEntry("attempts", 4L)
                    .containsEntry("source_runs", 2L).containsEntry("audience_runs", 1L).containsEntry("forward_outbox", 1L);
            assertThat(retention.runOnce().values()).allMatch(n -> n == 0);
        }
    }

    /** A job for message {@code seq} in {@code state}, last changed at {@code updatedAt}, with one attempt. */
    static void job(Database db, long seq, String state, long updatedAt) {
        String subscription = "s" + count(db, "SELECT COUNT(*) FROM jobs");
        exec(db, "INSERT INTO jobs (integration_id, subscription, action, person_key, message_seq, state, attempts, next_at, created_at, "
                + "updated_at) VALUES ('i', ?, 'upsertContact', 'p', ?, ?, 1, ?, ?, ?)", subscription, seq, state, updatedAt, updatedAt, updatedAt);
        exec(db, "INSERT INTO attempts (job_id, message_seq, integration_id, action, outcome, duration_ms, at) "
                + "SELECT id, message_seq, integration_id, action, state, 1, updated_at FROM jobs WHERE subscription = ?", subscription);
    }

    static String identify(String messageId, String userId, String email, String more) {
        return "{\"type\":\"identify\",\"messageId\":\"" + messageId + "\",\"userId\":\"" + userId + "\",\"traits\":{\"email\":\""
                + email + "\"}" + more + "}";
    }

    /** Posts the messages to /v1/batch, 100 per request. */
    void collect(List<String> messages) throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < messages.size(); i += 100) {
            String body = "{\"batch\":[" + String.join(",", messages.subList(i, Math.min(messages.size(), i + 100))) + "]}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                    .header("Content-Type", "application/json").header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return M.readTree(r.body());
    }

    String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/metrics"))
                .header("Authorization", "Bearer " + hub.adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of an untagged gauge in a Prometheus scrape. */
    static double gaugeValue(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not in /metrics");
    }

    static String jobState(Database db, String messageId) {
        List<String> s = strings(db, "SELECT j.state FROM jobs j JOIN messages m ON m.seq = j.message_seq WHERE m.message_id = '"
                + messageId + "'");
        return s.isEmpty() ? null : s.get(0);
    }

    static long count(Database db, String sql) {
        return io.gridsync.server.testing.StateQueries.count(db, sql);
    }

    static List<String> strings(Database db, String sql) {
        return io.gridsync.server.testing.StateQueries.texts(db, sql);
    }

    static void exec(Database db, String sql, Object... args) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        });
    }

    static void awaitUntil(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what);
            }
            Thread.sleep(50);
        }
    }
}
