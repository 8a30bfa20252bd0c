package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hub as a child process, killed with SIGKILL at random points while a client sends 20,000
 * events; after restarts every acknowledged event is delivered, and no contact or list membership
 * is missing or doubled. Then the same with the emulator answering 429s, 5xx and slow responses.
 */
class CrashRecoveryTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final int EVENTS = 20_000;
    private static final int BATCH = 100;
    private static final String WRITE_KEY = "gs_wk_crash_test";

    @TempDir
    Path dir;
    private Emulator emulator;
    private HubProcess hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    void everyAcknowledgedEventIsDeliveredOnceThroughSigkills() throws Exception {
        run(new EmulatorConfig(), 42);
    }

    @Test
    void andStillWhenSendGridAnswers429sAnd5xxAndSlowly() throws Exception {
        EmulatorConfig faulty = new EmulatorConfig().fault("rate_limit_429=0.1").fault("error_503=0.1").fault("error_500=0.05")
                .fault("timeout=0.02");
        faulty.faultTimeoutDelayMillis = 1_500;
        run(faulty, 7);
    }

    private void run(EmulatorConfig config, long seed) throws Exception {
        emulator = Emulator.start(config.port(0).importDelayMillis(20));
        Random random = new Random(seed);
        hub = new HubProcess(dir.resolve("data"), freePort(), Map.of(
                "SENDGRID_API_KEY", "SG.crash-test", "SENDGRID_API_URL", emulator.baseUrl(),
                "GRIDSYNC_WRITE_KEY", WRITE_KEY, "GRIDSYNC_ADMIN_TOKEN", "admin-crash-test",
                "GRIDSYNC_SENDGRID_TIMEOUT", "1s"));
        hub.start();

        // a client sends 200 batches of 100, retrying each batch until it is acknowledged
        AtomicInteger acknowledged = new AtomicInteger();
        Thread client = new Thread(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int b = 0; b < EVENTS / BATCH; b++) {
                String body = batch(b);
                while (true) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            acknowledged.addAndGet(BATCH);
                            break;
                        }
                    } catch (IOException e) {
                        // the hub is down: try again, as analytics libraries do
                    } catch (InterruptedException e) {
                        return;
                    }
                    sleep(50);
                }
            }
        }, "crash-test-client");
        client.start();

        // kill the hub at random points while events arrive and are delivered, and restart it
        for (int kill = 0; kill < 4; kill++) {
            Thread.sleep(300 + random.nextInt(1500));
            hub.kill();
            hub.start();
        }
        client.join(Duration.ofMinutes(3).toMillis());
        assertThat(acknowledged.get()).isEqualTo(EVENTS);
        // and once more after everything was acknowledged, while delivery is still under way
        hub.kill();
        hub.start();

        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        String listId = null;
        while (System.nanoTime() < deadline) {
            listId = listId != null ? listId : listId("crash_audience");
            if (contactCount() == EVENTS && listId != null && listCount(listId) == EVENTS / 2) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(contactCount()).as("contacts in SendGrid; hub log " + hub.log()).isEqualTo(EVENTS);
        assertThat(listId).as("the audience's list").isNotNull();
        assertThat(listCount(listId)).isEqualTo(EVENTS / 2);
        assertThat(lists("crash_audience")).as("one list, however often the hub died").isEqualTo(1);
        // spot-check that contacts carry what the events said
        JsonNode c = search("person4242@crash.example");
        assertThat(c.path("first_name").asText()).isEqualTo("Person 4242");
    }

    private static String batch(int b) {
        StringBuilder sb = new StringBuilder("{\"writeKey\":\"" + WRITE_KEY + "\",\"batch\":[");
        for (int i = 0; i < BATCH; i++) {
            int n = b * BATCH + i;
            if (i > 0) {
                sb.append(',');
            }
            boolean member = n % 2 == 0;
            sb.append("{\"type\":\"identify\",\"messageId\":\"crash-").append(n).append("\",\"userId\":\"user-").append(n)
                    .append("\",\"traits\":{\"email\":\"person").append(n).append("@crash.example\",\"first_name\":\"Person ")
                    .append(n).append("\"");
            if (member) {
                sb.append(",\"crash_audience\":true},\"context\":{\"personas\":{\"computation_class\":\"audience\","
                        + "\"computation_key\":\"crash_audience\"}}}");
            } else {
                sb.append("}}");
            }
        }
        return sb.append("]}").toString();
    }

    /** Reads the emulator as a user would, retrying the faults it was told to inject. */
    private JsonNode get(String path) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).GET());
    }

    private JsonNode call(HttpRequest.Builder request) throws Exception {
        HttpRequest r = request.header("Authorization", "Bearer SG.crash-test").timeout(Duration.ofSeconds(10)).build();
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> resp = HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() < 500 && resp.statusCode() != 429 || attempt >= 20) {
                    return M.readTree(resp.body());
                }
            } catch (IOException e) {
                if (attempt >= 20) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    private long contactCount() throws Exception {
        return get("/v3/marketing/contacts/count").path("contact_count").asLong();
    }

    private String listId(String name) throws Exception {
        for (JsonNode l : get("/v3/marketing/lists?page_size=1000").path("result")) {
            if (l.path("name").asText().equals(name)) {
                return l.path("id").asText();
            }
        }
        return null;
    }

    private long lists(String name) throws Exception {
        long n = 0;
        for (JsonNode l : get("/v3/marketing/lists?page_size=1000").path("result")) {
            if (l.path("name").asText().equals(name)) {
                n++;
            }
        }
        return n;
    }

    private long listCount(String id) throws Exception {
        return get("/v3/marketing/lists/" + id + "/contacts/count").path("contact_count").asLong();
    }

    private JsonNode search(String email) throws Exception {
        return call(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/search/emails"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"emails\":[\"" + email + "\"]}")))
                .path("result").path(email).path("contact");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
