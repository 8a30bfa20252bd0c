package io.gridsync.server.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.EmulatorHttp;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure end to end, on each database (subclasses): a person's identify and track through the
 * tracking API, an audience membership, captured webhook events and a mirror run; then an erasure by
 * email. Their email and userId are in no file of the data directory afterwards (and, on
 * PostgreSQL, in no row of any table), another person's data is all there, SendGrid (the emulator)
 * no longer has their contact, and a later message of theirs is acknowledged and dropped.
 */
abstract class ErasureContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String SG_KEY = "SG.erasure-0123456789abcdef";
    /** Distinctive on purpose: a byte search for a short id such as "ada" would find it in unrelated bytes. */
    static final String EMAIL = "erase.me.7f3a9c@example.com";
    static final String USER = "erase-user-51d0e8";
    static final String ANON = "erase-anon-c4b7a2";
    static final String PREVIOUS = "erase-prev-3e8d17";
    static final String KEEP_EMAIL = "keep.me.2b9c41@example.com";
    static final String KEEP_USER = "keep-user-90aa3f";

    @TempDir
    Path dir;
    Emulator emulator;
    EmulatorHttp sg;
    Hub hub;
    final HttpClient http = HttpClient.newHttpClient();

    /** GRIDSYNC_* variables of the state database and the warehouse. */
    abstract Map<String, String> environment();

    /** Every stored text of the databases outside the data directory that holds {@code needle} (lower-case), as "table: n rows"; empty for SQLite. */
    abstract List<String> rowsMentioning(String needle);

    Path dataDir() {
        return dir.resolve("data");
    }

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        sg = new EmulatorHttp(emulator, SG_KEY);
        hub = Hub.start(HubConfig.defaults(dataDir(), 0).withEnvironment(withLocalEndpoints(environment())));
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void anErasureByEmailLeavesNoTraceAndDropsLaterMessages() throws Exception {
        installSendGrid();

        // the person and someone else, through the tracking API
        collect("/v1/identify", "{\"userId\":\"" + USER + "\",\"anonymousId\":\"" + ANON + "\",\"traits\":{\"email\":\"Erase.Me.7f3a9c@Example.com\","
                + "\"first_name\":\"Erin\"}}");
        collect("/v1/track", "{\"userId\":\"" + USER + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":12.5}}");
        collect("/v1/track", "{\"anonymousId\":\"" + PREVIOUS + "\",\"event\":\"Page Browsed\"}");
        collect("/v1/alias", "{\"userId\":\"" + USER + "\",\"previousId\":\"" + PREVIOUS + "\"}");
        collect("/v1/identify", "{\"userId\":\"" + KEEP_USER + "\",\"traits\":{\"email\":\"" + KEEP_EMAIL + "\",\"first_name\":\"Kim\"}}");
        collect("/v1/track", "{\"userId\":\"" + KEEP_USER + "\",\"event\":\"Order Completed\",\"properties\":{\"revenue\":3}}");
        awaitUntil(() -> !sg.contact(EMAIL).isMissingNode() && !sg.contact(KEEP_EMAIL).isMissingNode()
                && sg.contact(EMAIL).path("custom_fields").has("lifetime_value"), "both contacts in SendGrid");

        // an audience membership for both
        admin("PUT", "/v1/audiences/erasure_vip/members", "{\"list_name\":\"Erasure VIP\",\"add\":[{\"email\":\"" + EMAIL + "\"},"
                + "{\"email\":\"" + KEEP_EMAIL + "\"}]}", 202);
        awaitUntil(() -> admin("GET", "/v1/audiences/erasure_vip", null, 200).at("/members/in_sendgrid").asLong() == 2, "both in the list");

        // captured webhook events for both
        long now = System.currentTimeMillis() / 1000;
        webhook("[" + event("ev-erase-1", EMAIL, "delivered", now) + "," + event("ev-erase-2", EMAIL, "open", now) + ","
                + event("ev-keep-1", KEEP_EMAIL, "delivered", now) + "]");
        awaitUntil(() -> countRows("delivered") == 2 && countRows("_open") == 1, "the events in the warehouse");

        // a mirror run: both contacts in the recipients table
        syncAndWait("SendGrid");
        assertThat(countRows("recipients")).isEqualTo(2);
        assertThat(mentions(EMAIL)).as("before the erasure the data directory or database holds the email").isNotEmpty();

        // the erasure
        JsonNode created = admin("POST", "/v1/admin/erasures", "{\"email\":\"" + EMAIL.toUpperCase(Locale.ROOT) + "\",\"sendgrid_erase_job\":true}", 202);
        assertThat(created.path("status").asText()).isEqualTo("pending");
        assertThat(created.toString()).doesNotContainIgnoringCase(EMAIL);
        String id = created.path("id").asText();
        JsonNode done = awaitErasure(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.toString()).doesNotContainIgnoringCase(EMAIL).doesNotContain(USER).doesNotContain(ANON).doesNotContain(PREVIOUS);
        assertThat(done.path("identifier_hashes")).hasSize(1);
        JsonNode counts = done.path("counts");
        assertThat(counts.path("state_messages").asLong()).isEqualTo(4); // identify, track, the alias and the pre-alias track
        assertThat(counts.path("state_audience_members").asLong()).isEqualTo(1);
        assertThat(counts.path("state_ledger_identifiers").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(counts.path("sendgrid_contacts").asLong()).isEqualTo(1);
        assertThat(counts.path("sendgrid_erase_jobs").asLong()).isEqualTo(1);
        assertThat(counts.path("warehouse_events").asLong()).isEqualTo(2);
        assertThat(counts.path("warehouse_recipients").asLong()).isEqualTo(1);
        assertThat(counts.path("warehouse_mirrored").asLong()).isEqualTo(1); // their membership of the list

        // SendGrid: their contact is gone, the other one is there
        assertThat(sg.contact(EMAIL).isMissingNode()).isTrue();
        assertThat(sg.contact(KEEP_EMAIL).path("first_name").asText()).isEqualTo("Kim");
        assertThat(sg.requests("POST /v3/recipients/erasejob")).isEqualTo(1);

        // no trace of them anywhere, everything of the other person where it was
        assertThat(mentions(EMAIL)).isEmpty();
        assertThat(mentions(USER)).isEmpty();
        assertThat(mentions(ANON)).isEmpty();
        assertThat(mentions(PREVIOUS)).isEmpty();
        assertThat(mentions(KEEP_EMAIL)).isNotEmpty();
        assertThat(countRows("delivered")).isEqualTo(1);
        assertThat(countRows("_open")).isZero();
        assertThat(countRows("recipients")).isEqualTo(1);
        assertThat(countRows("list_members")).isEqualTo(1);
        assertThat(stateCount("SELECT COUNT(*) FROM messages WHERE person_key = 'user:" + KEEP_USER + "'")).isEqualTo(2);
        assertThat(stateCount("SELECT COUNT(*) FROM audience_members WHERE email = '" + KEEP_EMAIL + "'")).isEqualTo(1);
        assertThat(stateCount("SELECT COUNT(*) FROM contact_identifiers WHERE value = '" + KEEP_EMAIL + "'")).isEqualTo(1);

        // later messages of theirs, by userId or by email: acknowledged, not stored, counted
        long before = stateCount("SELECT COUNT(*) FROM messages");
        collect("/v1/track", "{\"userId\":\"" + USER + "\",\"event\":\"Came Back\"}");
        collect("/v1/identify", "{\"anonymousId\":\"someone-new-1\",\"traits\":{\"email\":\"" + EMAIL + "\"}}");
        assertThat(stateCount("SELECT COUNT(*) FROM messages")).isEqualTo(before);
        assertThat(metrics()).contains("gridsync_erased_messages_dropped_total 2.0");
        collect("/v1/track", "{\"userId\":\"" + KEEP_USER + "\",\"event\":\"Came Back\"}");
        // a late webhook event of theirs (SendGrid keeps posting opens of mail sent before): acknowledged, not captured
        webhook("[" + event("ev-erase-3", EMAIL.toUpperCase(Locale.ROOT), "open", now) + "," + event("ev-keep-2", KEEP_EMAIL, "open", now) + "]");
        assertThat(countRows("_open")).isEqualTo(1);
        assertThat(metrics()).contains("gridsync_erased_events_dropped_total 1.0");
        assertThat(stateCount("SELECT COUNT(*) FROM messages")).isEqualTo(before + 1);
        assertThat(mentions(EMAIL)).isEmpty();
        assertThat(mentions(USER)).isEmpty();

        // and after a restart: the suppression and the finished erasure are still there
        hub.close();
        hub = null;
        assertThat(mentions(EMAIL)).isEmpty();
        hub = Hub.start(HubConfig.defaults(dataDir(), 0).withEnvironment(withLocalEndpoints(environment())));
        assertThat(admin("GET", "/v1/admin/erasures/" + id, null, 200).path("status").asText()).isEqualTo("done");
        long after = stateCount("SELECT COUNT(*) FROM messages");
        collect("/v1/identify", "{\"userId\":\"" + USER + "\",\"traits\":{\"email\":\"" + EMAIL + "\"}}");
        assertThat(stateCount("SELECT COUNT(*) FROM messages")).isEqualTo(after);
    }

    @Test
    void aSendGridFailureIsRetriedAndTheErasureSurvivesARestart() {
        installSendGrid();
        collect("/v1/identify", "{\"userId\":\"" + USER + "\",\"traits\":{\"email\":\"" + EMAIL + "\"}}");
        awaitUntil(() -> !sg.contact(EMAIL).isMissingNode(), "the contact in SendGrid");

        sg.call("PUT", "/_emulator/faults", "{\"shares\":{\"error_500\":1.0}}");
        String id = admin("POST", "/v1/admin/erasures", "{\"user_id\":\"" + USER + "\"}", 202).path("id").asText();
        awaitUntil(() -> admin("GET", "/v1/admin/erasures/" + id, null, 200).path("attempts").asInt() >= 1, "a failed attempt");
        JsonNode failing = admin("GET", "/v1/admin/erasures/" + id, null, 200);
        assertThat(failing.path("status").asText()).isEqualTo("running");
        assertThat(failing.path("errors")).isNotEmpty();
        assertThat(failing.toString()).doesNotContainIgnoringCase(EMAIL).doesNotContain(USER);
        assertThat(failing.path("counts").path("state_messages").asLong()).isEqualTo(1); // the hub's own copy went at once

        // a restart while SendGrid is failing; SendGrid recovers; the erasure finishes from the database
        hub.close();
        hub = null;
        sg.call("DELETE", "/_emulator/faults", null);
        hub = Hub.start(HubConfig.defaults(dataDir(), 0).withEnvironment(withLocalEndpoints(environment())));
        JsonNode done = awaitErasure(id);
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("done");
        assertThat(done.path("counts").path("sendgrid_contacts").asLong()).isEqualTo(1); // found by the email the ledger linked
        assertThat(sg.contact(EMAIL).isMissingNode()).isTrue();
        assertThat(mentions(EMAIL)).isEmpty();
        assertThat(mentions(USER)).isEmpty();
    }

    void installSendGrid() {
        admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","create_missing_fields":true}}
                """.formatted(SG_KEY, emulator.baseUrl()), 201);
    }

    @Test
    void anErasureNeedsAnIdentifierAndNamesUnknownFields() {
        assertThat(admin("POST", "/v1/admin/erasures", "{}", 400).path("error").asText()).contains("at least one of");
        assertThat(admin("POST", "/v1/admin/erasures", "{\"mail\":\"a@example.com\"}", 400).path("error").asText()).contains("unknown field mail");
        assertThat(admin("POST", "/v1/admin/erasures", "{\"email\":\"not-an-address\"}", 400).path("error").asText()).contains("email");
        assertThat(admin("GET", "/v1/admin/erasures/nope", null, 404).path("error").asText()).contains("no erasure nope");
    }

    // ---- what is where ---------------------------------------------------------------------------

    /** Files of the data directory holding {@code needle} (ASCII case-insensitive), then rows of databases outside it. */
    List<String> mentions(String needle) {
        List<String> out = new ArrayList<>();
        byte[] n = needle.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dataDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // removed meanwhile (a temporary file)
                }
                if (indexOf(lower(bytes), n) >= 0) {
                    out.add(dataDir().relativize(f).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.addAll(rowsMentioning(needle.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static byte[] lower(byte[] b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] >= 'A' && b[i] <= 'Z' ? (byte) (b[i] + 32) : b[i];
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    long countRows(String table) {
        return hub.warehouse().query("sendgrid", c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM " + hub.warehouse().tableName("sendgrid", table))) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (java.sql.SQLException e) {
                return -1L; // not created yet
            }
        });
    }

    long stateCount(String sql) {
        return hub.database().query(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---- calls -------------------------------------------------------------------------------------

    void collect(String path, String json) {
        HttpResponse<String> r = HubCalls.collect(hub.baseUrl(), hub.writeKey(), path, json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static String event(String id, String email, String type, long at) {
        return "{\"email\":\"" + email + "\",\"event\":\"" + type + "\",\"sg_event_id\":\"" + id + "\",\"sg_message_id\":\"m-" + id
                + "\",\"timestamp\":" + at + "}";
    }

    void webhook(String body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/webhooks/sendgrid"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
    }

    JsonNode admin(String method, String path, String body, int expected) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        try {
            return M.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String metrics() {
        return send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/metrics")).GET()).body();
    }

    JsonNode awaitErasure(String id) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        JsonNode e = null;
        while (System.nanoTime() < deadline) {
            e = admin("GET", "/v1/admin/erasures/" + id, null, 200);
            if (Set.of("done", "failed").contains(e.path("status").asText())) {
                return e;
            }
            sleep(100);
        }
        throw new AssertionError("erasure " + id + " did not end in 2 minutes: " + e);
    }

    void syncAndWait(String source) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/sources/" + source + "/sync"))
                .header("Authorization", "Bearer " + hub.adminToken()).POST(HttpRequest.BodyPublishers.noBody()));
        // 409: the scheduled run began first; it syncs the same, so it is the one to wait for
        assertThat(r.statusCode()).as(r.body()).isIn(202, 409);
        long runId;
        try {
            runId = M.readTree(r.body()).path("run_id").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitUntil(() -> !Set.of("queued", "running").contains(admin("GET", "/v1/admin/sources/" + source + "/runs/" + runId, null, 200)
                .path("status").asText()), "the mirror run of " + source);
        assertThat(admin("GET", "/v1/admin/sources/" + source + "/runs/" + runId, null, 200).path("status").asText()).isEqualTo("succeeded");
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The emulator listens on loopback: the hub may send keys there in tests (docs/security.md). */
    private static java.util.Map<String, String> withLocalEndpoints(java.util.Map<String, String> env) {
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS);
        return all;
    }
}
