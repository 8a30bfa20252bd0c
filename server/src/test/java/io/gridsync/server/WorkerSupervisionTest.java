package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A background worker stopped by an unexpected exception is started again, and {@code /healthz}
 * says so meanwhile: the router meets a journal entry that is not JSON (a row edited by hand, a
 * damaged file), fails on it, and is restarted with backoff until the row is repaired; then it
 * delivers what waited behind it, and the hub is healthy again.
 */
class WorkerSupervisionTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.supervision-0123456789";

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS));
        HubCalls.installSendGrid(hub.baseUrl(), hub.adminToken(), "SendGrid", SG_KEY, emulator.baseUrl());
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void aWorkerKilledByAnUnexpectedExceptionIsRestartedAndShownInHealth() throws Exception {
        identify("before", "before@example.com");
        awaitUntil(() -> contactExists("before@example.com"), "the first contact delivered");
        assertThat(health().path("status").asText()).isEqualTo("ok");

        // a damaged journal entry, then a good message behind it
        long poisoned = hub.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (message_id, write_key, type, person_key, "
                    + "received_at, body) VALUES ('damaged', ?, 'identify', 'u:damaged', ?, 'not json')",
                    java.sql.Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, hub.writeKey());
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
                try (var keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
        identify("after", "after@example.com");

        AtomicReference<JsonNode> sick = new AtomicReference<>();
        awaitUntil(() -> {
            JsonNode h = health();
            sick.set(h);
            return h.path("components").path("router").path("status").asText().equals("restarting");
        }, "the router shown as restarting");
        assertThat(sick.get().path("status").asText()).isEqualTo("unavailable");
        assertThat(sick.get().path("message").asText()).contains("router");
        assertThat(sick.get().path("components").path("router").path("detail").asText())
                .startsWith("stopped by IllegalStateException; restart").doesNotContain("not json");
        assertThat(contactExists("after@example.com")).isFalse();

        // the operator repairs the row: the restarted router goes on, and the hub is healthy again
        hub.database().query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE messages SET body = ? WHERE seq = ?")) {
                ps.setString(1, "{\"type\":\"identify\",\"messageId\":\"damaged\",\"userId\":\"repaired\","
                        + "\"traits\":{\"email\":\"repaired@example.com\"}}");
                ps.setLong(2, poisoned);
                return ps.executeUpdate();
            }
        });
        awaitUntil(() -> contactExists("after@example.com") && contactExists("repaired@example.com"),
                "the messages behind the damaged one delivered");
        awaitUntil(() -> health().path("status").asText().equals("ok"), "healthy again");
    }

    private void identify(String userId, String email) throws Exception {
        HttpResponse<String> r = HubCalls.collect(hub.baseUrl(), hub.writeKey(), "/v1/identify",
                "{\"userId\":\"" + userId + "\",\"traits\":{\"email\":\"" + email + "\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode health() {
        try {
            return M.readTree(http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean contactExists(String email) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                            + "/v3/marketing/contacts/search/emails"))
                    .header("Authorization", "Bearer " + SG_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"emails\":[\"" + email + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && M.readTree(r.body()).path("result").has(email);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
