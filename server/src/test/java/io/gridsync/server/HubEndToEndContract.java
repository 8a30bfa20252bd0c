package io.gridsync.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.PageMessage;
import com.segment.analytics.messages.TrackMessage;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment's own Java client sends identify, track, page and Engage audience events through the
 * hub into the emulator; SendGrid's contacts, lists and custom fields end exactly as expected.
 * Run on SQLite and on PostgreSQL by the subclasses.
 */
abstract class HubEndToEndContract {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.e2e-0123456789abcdef";

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private final HttpClient http = HttpClient.newHttpClient();

    /** GRIDSYNC_DATABASE_URL for this run, or null for SQLite in the data directory. */
    abstract String databaseUrl();

    @BeforeEach
    void start() {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        Map<String, String> env = databaseUrl() == null ? Map.of()
                : Map.of("GRIDSYNC_DATABASE_URL", databaseUrl(), "GRIDSYNC_DATABASE_USER", "postgres");
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(env));
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        emulator.close();
    }

    @Test
    void segmentsJavaClientThroughTheHubIntoSendGrid() throws Exception {
        // the install call users of Datafly Signal know
        JsonNode installed = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","create_missing_fields":true}}
                """.formatted(SG_KEY, emulator.baseUrl()));
        assertThat(installed.toString()).doesNotContain(SG_KEY);

        Analytics analytics = Analytics.builder(hub.writeKey()).endpoint(hub.baseUrl())
                .flushQueueSize(5).flushInterval(1, TimeUnit.SECONDS).build();
        analytics.enqueue(IdentifyMessage.builder().userId("ada").traits(Map.of("email", "Ada@Example.com",
                "first_name", "Ada", "last_name", "Lovelace", "address", Map.of("city", "London", "country", "UK"))));
        analytics.enqueue(IdentifyMessage.builder().userId("grace").traits(Map.of("email", "grace@example.com", "first_name", "Grace")));
        analytics.enqueue(PageMessage.builder("Shoes").userId("ada").properties(Map.of("url", "https://shop.example/shoes")));
        analytics.enqueue(TrackMessage.builder("Product Viewed").userId("ada").properties(Map.of("product_id", "sku-42")));
        analytics.enqueue(TrackMessage.builder("Order Completed").userId("ada").properties(Map.of("revenue", 20.5)));
        analytics.enqueue(TrackMessage.builder("Order Completed").userId("ada").properties(Map.of("revenue", 10)));
        // Engage audience: both enter, then Grace leaves
        analytics.enqueue(audience("ada", "ada@example.com", true));
        analytics.enqueue(audience("grace", "grace@example.com", true));
        analytics.flush();
        awaitUntil(() -> listCount("vip_customers") == 2, "both members in the audience's list");
        analytics.enqueue(audience("grace", "grace@example.com", false));
        analytics.flush();
        analytics.shutdown();

        awaitUntil(() -> listCount("vip_customers") == 1 && lifetimeValue("ada@example.com") == 30.5,
                "Grace out of the list and both orders counted");

        assertThat(count("/v3/marketing/contacts/count", "contact_count")).isEqualTo(2);
        JsonNode ada = contact("ada@example.com");
        assertThat(ada.path("first_name").asText()).isEqualTo("Ada");
        assertThat(ada.path("last_name").asText()).isEqualTo("Lovelace");
        assertThat(ada.path("city").asText()).isEqualTo("London");
        assertThat(ada.path("country").asText()).isEqualTo("UK");
        JsonNode fields = ada.path("custom_fields");
        assertThat(fields.path("last_page_url").asText()).isEqualTo("https://shop.example/shoes");
        assertThat(fields.path("last_product_id").asText()).isEqualTo("sku-42");
        assertThat(fields.path("lifetime_value").asDouble()).isEqualTo(30.5);
        assertThat(fields.path("last_purchase_at").asText()).isNotBlank();
        JsonNode grace = contact("grace@example.com");
        assertThat(grace.path("first_name").asText()).isEqualTo("Grace"); // left the list, kept as a contact
        assertThat(grace.path("list_ids")).isEmpty();

        JsonNode definitions = emulatorGet("/v3/marketing/field_definitions").path("custom_fields");
        assertThat(definitions.findValuesAsText("name"))
                .containsExactlyInAnyOrder("last_page_url", "last_product_id", "last_purchase_at", "lifetime_value");
        assertThat(emulatorGet("/v3/marketing/lists").path("result")).hasSize(1);

        // the live events show each message's delivery with SendGrid's status (recorded just after SendGrid answered)
        awaitUntil(() -> adminEvents().findValues("state").stream().allMatch(s -> s.asText().equals("done")), "all jobs done");
        JsonNode events = adminEvents();
        assertThat(events).hasSize(9);
        assertThat(events.findValues("state")).allMatch(s -> s.asText().equals("done"));
        assertThat(events.findValues("last_status")).allMatch(s -> s.asInt() == 202);

        // every metric family says what it counts (Prometheus shows HELP beside each graph)
        String metrics = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.List<String> help = metrics.lines().filter(l -> l.startsWith("# HELP gridsync")).toList();
        assertThat(help).hasSizeGreaterThan(10);
        assertThat(help).allSatisfy(l -> assertThat(l.split(" ", 4)).as(l).hasSize(4));
        assertThat(help).allSatisfy(l -> assertThat(l.split(" ", 4)[3].trim()).as(l).isNotEmpty());
    }

    private JsonNode adminEvents() {
        try {
            return admin("GET", "/v1/admin/events?limit=20", null).path("events");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static IdentifyMessage.Builder audience(String userId, String email, boolean member) {
        return IdentifyMessage.builder().userId(userId).traits(Map.of("email", email, "vip_customers", member))
                .context(Map.of("personas", Map.of("computation_class", "audience", "computation_key", "vip_customers")));
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return M.readTree(r.body());
    }

    private JsonNode emulatorGet(String path) {
        return emulator(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).GET());
    }

    private JsonNode emulator(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + SG_KEY).build(), HttpResponse.BodyHandlers.ofString());
            return M.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode contact(String email) {
        return emulator(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/search/emails"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"emails\":[\"" + email + "\"]}")))
                .path("result").path(email).path("contact");
    }

    private long count(String path, String field) {
        return emulatorGet(path).path(field).asLong();
    }

    private long listCount(String name) {
        for (JsonNode l : emulatorGet("/v3/marketing/lists").path("result")) {
            if (l.path("name").asText().equals(name)) {
                return emulatorGet("/v3/marketing/lists/" + l.path("id").asText() + "/contacts/count").path("contact_count").asLong();
            }
        }
        return -1;
    }

    private double lifetimeValue(String email) {
        return contact(email).path("custom_fields").path("lifetime_value").asDouble(-1);
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
