package io.gridsync.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.MutableClock;
import io.gridsync.server.testing.WebhookSigner;
import io.gridsync.server.warehouse.Warehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture over real HTTP: SendGrid's signed-webhook vectors through the endpoint, the emulator
 * posting signed events for mail the hub sent (with failed posts retried and batches replayed:
 * every event lands once), refusals that store nothing, quarantine, and forwarding through a
 * receiver that fails twice. Run on each warehouse database by the subclasses.
 */
abstract class CaptureContract {

    static final ObjectMapper M = new ObjectMapper();
    static final String SG_KEY = "SG.capture-0123456789";
    static final List<String> EVENT_TABLES = List.of("processed", "dropped", "delivered", "deferred", "bounce", "_open", "click",
            "spam_report", "unsubscribe", "group_unsubscribe", "group_resubscribe", "other_events");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final HttpClient http = HttpClient.newHttpClient();
    Hub hub;
    Emulator emulator;
    final List<HttpServer> servers = new ArrayList<>();

    /** GRIDSYNC_* variables of this run: the warehouse (and maybe the state database). */
    abstract Map<String, String> environment();

    @BeforeEach
    void start() {
        Map<String, String> env = new HashMap<>(environment());
        env.put("GRIDSYNC_FORWARD_RETRY", "0.05s");
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(io.gridsync.server.testing.HubCalls.LOCAL_ENDPOINTS).withEnvironment(env), clock);
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
        if (emulator != null) {
            emulator.close();
        }
        if (hub != null) {
            hub.close();
        }
    }

    // ---------------------------------------------------------------- SendGrid's vectors

    @Test
    void sendGridsSignatureVectorsPassThroughTheEndpoint() throws Exception {
        Path file = Path.of(System.getProperty("sendgrid.api.dir", "../third_party/sendgrid-api"), "event-webhook-vectors.json");
        JsonNode cases = M.readTree(Files.readString(file)).path("cases");
        assertThat(cases).hasSizeGreaterThanOrEqualTo(6);
        int n = 0;
        for (JsonNode c : cases) {
            String source = "vector_" + (++n);
            admin("PUT", "/v1/admin/sources/" + source, "{\"webhook_public_key\":\"" + c.path("public_key").asText() + "\"}");
            long ts = Long.parseLong(c.path("timestamp").asText());
            clock.set(Instant.ofEpochSecond(ts).plusSeconds(30));
            byte[] payload = Base64.getDecoder().decode(c.path("payload_base64").asText());
            HttpResponse<String> r = post("/v1/webhooks/sendgrid/" + source, payload, c.path("signature").asText(), c.path("timestamp").asText());
            if (c.path("valid").asBoolean()) {
                assertThat(r.statusCode()).as(c.path("name").asText() + ": " + r.body()).isEqualTo(200);
                assertThat(totalEvents(source)).as(c.path("name").asText()).isEqualTo(M.readTree(payload).size());
            } else {
                assertThat(r.statusCode()).as(c.path("name").asText() + ": " + r.body()).isEqualTo(403);
                assertThat(totalEvents(source) + count(source, "_quarantine")).as(c.path("name").asText()).isZero();
            }
        }
        // the first vector again, seven minutes after it was signed: a possible replay, refused
        JsonNode first = cases.get(0);
        admin("PUT", "/v1/admin/sources/stale", "{\"webhook_public_key\":\"" + first.path("public_key").asText() + "\"}");
        clock.set(Instant.ofEpochSecond(Long.parseLong(first.path("timestamp").asText())).plus(Duration.ofMinutes(7)));
        HttpResponse<String> stale = post("/v1/webhooks/sendgrid/stale", Base64.getDecoder().decode(first.path("payload_base64").asText()),
                first.path("signature").asText(), first.path("timestamp").asText());
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(stale.body()).contains("GRIDSYNC_WEBHOOK_TOLERANCE");
        assertThat(totalEvents("stale") + count("stale", "_quarantine")).isZero();
        // and with no signature at all
        HttpResponse<String> unsigned = post("/v1/webhooks/sendgrid/stale", "[]".getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        clock.set(null);
    }

    // ---------------------------------------------------------------- the emulator, end to end

    @Test
    void emulatorEventsForMailTheHubSentLandExactlyOnceThroughRetriesAndReplays() throws Exception {
        // a proxy in front of the hub: passes every post on, but answers 500 to the first two, so the
        // emulator sends those batches again (the hub has them already: duplicates)
        List<Captured> posts = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        HttpServer proxy = server(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String sig = exchange.getRequestHeaders().getFirst(SignatureVerifier.SIGNATURE_HEADER);
            String ts = exchange.getRequestHeaders().getFirst(SignatureVerifier.TIMESTAMP_HEADER);
            posts.add(new Captured(body, sig, ts));
            int status;
            try {
                status = post("/v1/webhooks/sendgrid", body, sig, ts).statusCode();
            } catch (InterruptedException e) {
                status = 503;
            }
            if (status == 200 && failuresLeft.getAndDecrement() > 0) {
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        EmulatorConfig ec = new EmulatorConfig().port(0).importDelayMillis(10).webhookUrl("http://127.0.0.1:" + proxy.getAddress().getPort());
        ec.webhookFlushMillis = 100;
        ec.webhookRetryInitialMillis = 50;
        ec.webhookRetryMaxMillis = 200;
        emulator = Emulator.start(ec);

        String publicKey = getJson(emulator.baseUrl() + "/_emulator/webhook/public-key").path("public_key").asText();
        JsonNode source = admin("PUT", "/v1/admin/sources/sendgrid", "{\"webhook_public_key\":\"" + publicKey + "\"}");
        assertThat(source.path("webhook").path("signed").asBoolean()).isTrue();

        String template = sendgrid("POST", "/v3/templates", "{\"name\":\"welcome\",\"generation\":\"dynamic\"}").path("id").asText();
        admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","email":{"event":"Signed Up","template_id":"%s",
                           "from":{"email":"hello@shop.example","name":"Shop"}}}}
                """.formatted(SG_KEY, emulator.baseUrl(), template));
        List<String> recipients = List.of("plain", "open", "click", "bounce", "block", "drop", "defer", "spam", "unsub");
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < recipients.size(); i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u").append(i)
                    .append("\",\"properties\":{\"email\":\"").append(recipients.get(i)).append("@x.io\"}}");
        }
        HttpResponse<String> tracked = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/batch"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((hub.writeKey() + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tracked.statusCode()).isEqualTo(200);
        // and one message straight through the emulator's Mail Send: custom args, categories, an unsubscribe group
        sendgrid("POST", "/v3/mail/send", """
                {"personalizations":[{"to":[{"email":"groupresub@x.io"}],"custom_args":{"user_id":"u-42"}}],
                 "from":{"email":"hello@shop.example"},"template_id":"%s","categories":["welcome","onboarding"],
                 "custom_args":{"plan":"pro"},"asm":{"group_id":7}}
                """.formatted(template));

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("processed", 9L);
        expected.put("delivered", 7L);
        expected.put("_open", 5L);
        expected.put("click", 2L);
        expected.put("bounce", 2L);
        expected.put("dropped", 1L);
        expected.put("deferred", 1L);
        expected.put("spam_report", 1L);
        expected.put("unsubscribe", 1L);
        expected.put("group_unsubscribe", 1L);
        expected.put("group_resubscribe", 1L);
        awaitUntil(() -> count("sendgrid", "activity") == 31 && emulatorIdle(), "31 events in the warehouse, the emulator done");
        assertThat(failuresLeft.get()).isNegative(); // both failures happened, and the emulator retried them
        assertThat(getJson(emulator.baseUrl() + "/_emulator/webhook/batches").toString()).contains("retry_scheduled");

        // SendGrid delivers at least once: every post again, as sent (duplicates within the tolerance)
        for (Captured p : List.copyOf(posts)) {
            assertThat(post("/v1/webhooks/sendgrid", p.body, p.signature, p.timestamp).statusCode()).isEqualTo(200);
        }
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            assertThat(count("sendgrid", e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(count("sendgrid", "activity")).isEqualTo(31);
        assertThat(scalar("SELECT COUNT(DISTINCT sg_event_id) FROM " + table("activity"))).isEqualTo(31);
        assertThat(count("sendgrid", "other_events") + count("sendgrid", "_quarantine")).isZero();

        // columns: documented fields in theirs, custom args as JSON, received_at on every row
        assertThat(scalar("SELECT COUNT(*) FROM " + table("bounce") + " WHERE bounce_classification = 'Invalid Address' AND type = 'bounce'"
                + " AND status = '5.1.1'")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("bounce") + " WHERE bounce_classification = 'Reputation' AND type = 'blocked'"))
                .isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("click") + " WHERE url IS NOT NULL AND url_offset IS NOT NULL"
                + " AND useragent IS NOT NULL")).isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("_open") + " WHERE sg_machine_open = false")).isEqualTo(5);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("deferred") + " WHERE attempt = 1")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("activity") + " WHERE received_at IS NOT NULL AND \"timestamp\" IS NOT NULL"
                + " AND smtp_id IS NOT NULL AND sg_message_id IS NOT NULL AND email LIKE '%@x.io' AND sg_template_id = '" + template + "'"))
                .isEqualTo(31);
        assertThat(scalar("SELECT COUNT(*) FROM " + table("activity") + " WHERE asm_group_id = 7")).isEqualTo(5);
        assertThat(text("SELECT custom_args FROM " + table("group_resubscribe"))).contains("\"user_id\"").contains("u-42")
                .contains("\"plan\"");
        assertThat(text("SELECT category FROM " + table("group_unsubscribe"))).contains("welcome").contains("onboarding");
        assertThat(scalar("SELECT COUNT(*) FROM " + table("processed") + " WHERE custom_args IS NULL")).isEqualTo(8);
    }

    /** Nothing waiting or scheduled, and every batch posted has its final answer (none in flight). */
    private boolean emulatorIdle() {
        JsonNode b = getJson(emulator.baseUrl() + "/_emulator/webhook/batches");
        Map<String, String> last = new HashMap<>();
        b.path("attempts").forEach(a -> last.put(a.path("batch_id").asText(), a.path("outcome").asText()));
        return b.path("pending_events").asInt() == 0 && b.path("retrying_batches").asInt() == 0 && !last.isEmpty()
                && last.values().stream().allMatch(o -> o.equals("delivered"));
    }

    // ---------------------------------------------------------------- refusals and quarantine

    @Test
    void badSignaturesStoreNothingAndMalformedBodiesGoToQuarantine() throws Exception {
        WebhookSigner signer = new WebhookSigner();
        admin("PUT", "/v1/admin/sources/sendgrid", "{\"webhook_public_key\":\"" + signer.publicKey() + "\"}");
        byte[] events = ("[{\"email\":\"a@x.io\",\"timestamp\":1700000000,\"event\":\"delivered\",\"sg_event_id\":\"e1\","
                + "\"sg_message_id\":\"m1\",\"smtp-id\":\"<m1@x>\",\"response\":\"250 OK\",\"tls\":1,\"my_arg\":\"v\"}]\r\n")
                .getBytes(StandardCharsets.UTF_8);
        String now = Long.toString(Instant.now().getEpochSecond());

        WebhookSigner stranger = new WebhookSigner();
        assertThat(post("/v1/webhooks/sendgrid", events, stranger.sign(now, events), now).statusCode()).isEqualTo(403);
        assertThat(post("/v1/webhooks/sendgrid", events, signer.sign(now, events), Long.toString(Long.parseLong(now) + 1)).statusCode())
                .isEqualTo(403); // timestamp changed after signing
        assertThat(post("/v1/webhooks/sendgrid", events, null, null).statusCode()).isEqualTo(401);
        assertThat(post("/v1/webhooks/sendgrid", events, "not base64!", now).statusCode()).isEqualTo(403);
        String old = Long.toString(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
        assertThat(post("/v1/webhooks/sendgrid", events, signer.sign(old, events), old).statusCode()).isEqualTo(403);
        byte[] garbage = "this is not json".getBytes(StandardCharsets.UTF_8);
        assertThat(post("/v1/webhooks/sendgrid", garbage, stranger.sign(now, garbage), now).statusCode()).isEqualTo(403);
        assertThat(totalEvents("sendgrid") + count("sendgrid", "_quarantine")).isZero();

        // signed correctly but not a JSON array: 400, and the body kept with the reason
        HttpResponse<String> bad = post("/v1/webhooks/sendgrid", garbage, signer.sign(now, garbage), now);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("not valid JSON").contains("_quarantine");
        byte[] object = "{\"event\":\"open\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(post("/v1/webhooks/sendgrid", object, signer.sign(now, object), now).statusCode()).isEqualTo(400);
        assertThat(totalEvents("sendgrid")).isZero();
        assertThat(count("sendgrid", "_quarantine")).isEqualTo(2);
        assertThat(text("SELECT reason FROM " + table("_quarantine") + " WHERE body = 'this is not json'")).contains("not valid JSON");

        // a good post stores its event once, however often it comes
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = post("/v1/webhooks/sendgrid", events, signer.sign(now, events), now);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(M.readTree(ok.body()).path("received").asInt()).isEqualTo(1);
        }
        assertThat(count("sendgrid", "delivered")).isEqualTo(1);
        assertThat(M.readTree(text("SELECT custom_args FROM " + table("delivered")))).isEqualTo(M.readTree("{\"my_arg\":\"v\"}"));

        // items that are not events are quarantined one by one; the others are stored
        byte[] mixed = ("[{\"event\":\"processed\",\"sg_event_id\":\"p1\",\"email\":\"b@x.io\",\"timestamp\":\"1700000001\"}, 42,"
                + " {\"email\":\"c@x.io\"}, {\"event\":\"account_status_change\",\"sg_event_id\":\"acct1\",\"type\":\"compliance_suspend\"},"
                + " {\"event\":\"open\",\"email\":\"d@x.io\",\"timestamp\":1700000002}]").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> partly = post("/v1/webhooks/sendgrid", mixed, signer.sign(now, mixed), now);
        assertThat(partly.statusCode()).isEqualTo(200);
        assertThat(M.readTree(partly.body()).path("quarantined").asInt()).isEqualTo(2);
        assertThat(count("sendgrid", "processed")).isEqualTo(1);
        assertThat(count("sendgrid", "other_events")).isEqualTo(1);
        assertThat(count("sendgrid", "_open")).isEqualTo(1); // no sg_event_id: one made from its bytes
        assertThat(post("/v1/webhooks/sendgrid", mixed, signer.sign(now, mixed), now).statusCode()).isEqualTo(200);
        assertThat(count("sendgrid", "_open")).isEqualTo(1);
        assertThat(count("sendgrid", "_quarantine")).isEqualTo(6);
    }

    @Test
    void sourcesMustExistAndKeysMustBeP256() throws Exception {
        assertThat(post("/v1/webhooks/sendgrid/nobody", "[]".getBytes(StandardCharsets.UTF_8), null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> badKey = adminRaw("PUT", "/v1/admin/sources/eu", "{\"webhook_public_key\":\"bm90IGEga2V5\"}");
        assertThat(badKey.statusCode()).isEqualTo(400);
        assertThat(badKey.body()).contains("public_key");
        assertThat(adminRaw("PUT", "/v1/admin/sources/Bad-Name", "").statusCode()).isEqualTo(400);
        assertThat(adminRaw("PUT", "/v1/admin/sources/eu", "").statusCode()).isEqualTo(201);
        assertThat(post("/v1/webhooks/sendgrid/eu", "[]".getBytes(StandardCharsets.UTF_8), null, null).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/v1/admin/sources", null).path("sources").findValuesAsText("name")).containsExactly("eu", "sendgrid");
        JsonNode eu = admin("GET", "/v1/admin/sources/eu", null);
        assertThat(eu.path("mirrored").asBoolean()).isFalse();
        assertThat(eu.path("webhook").path("path").asText()).isEqualTo("/v1/webhooks/sendgrid/eu");
        assertThat(adminRaw("PATCH", "/v1/admin/sources/eu", "{\"interval\":\"1h\"}").body()).contains("only captures webhook events");
        assertThat(adminRaw("POST", "/v1/admin/sources/eu/sync", "").body()).contains("no API key");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/sources")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);

        // the former webhook-source routes say where they moved
        HttpResponse<String> list = adminRaw("GET", "/v1/admin/webhook-sources", null);
        assertThat(list.statusCode()).isEqualTo(301);
        assertThat(list.headers().firstValue("Location")).hasValue("/v1/admin/sources");
        HttpResponse<String> key = adminRaw("PUT", "/v1/admin/webhook-sources/eu/webhook-key", "{\"public_key\":\"x\"}");
        assertThat(key.statusCode()).isEqualTo(410);
        assertThat(M.readTree(key.body()).path("error").asText()).contains("PATCH /v1/admin/sources/eu {\"webhook_public_key\"");
        assertThat(M.readTree(key.body()).path("moved_to").asText()).isEqualTo("/v1/admin/sources/eu");
    }

    // ---------------------------------------------------------------- forwarding

    @Test
    void forwardedEventsReachSegmentAndAmplitudeThroughFailures() throws Exception {
        List<Captured> received = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        HttpServer receiver = server(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean fail = failuresLeft.getAndDecrement() > 0;
            if (!fail) {
                received.add(new Captured(body, exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestURI().getPath()));
            }
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        JsonNode view = admin("PATCH", "/v1/admin/sources/sendgrid",
                "{\"forwarding\": {\"url\":\"" + base + "/v1/batch\",\"format\":\"segment\",\"key\":\"wk_secret_1234\"}}");
        assertThat(view.toString()).doesNotContain("wk_secret").contains("****1234");

        String body = "[" + String.join(",",
                event("delivered", "d1", ""), event("open", "o1", ",\"useragent\":\"UA\",\"ip\":\"203.0.113.7\""),
                event("click", "c1", ",\"url\":\"https://shop.example/x\",\"url_offset\":{\"index\":2,\"type\":\"html\"}"),
                event("bounce", "b1", ",\"reason\":\"550 no such user\",\"type\":\"bounce\",\"bounce_classification\":\"Invalid Address\""),
                event("spamreport", "s1", ""), event("unsubscribe", "u1", ",\"user_id\":\"u-7\""),
                event("group_unsubscribe", "g1", ",\"asm_group_id\":12"), event("processed", "p1", ""), event("deferred", "f1", ""))
                + "]";
        for (int i = 0; i < 2; i++) { // the second post is SendGrid delivering again: nothing forwarded twice
            assertThat(post("/v1/webhooks/sendgrid", body.getBytes(StandardCharsets.UTF_8), null, null).statusCode()).isEqualTo(200);
        }
        awaitUntil(() -> admin("GET", "/v1/admin/sources/sendgrid", null).path("forwarding").path("delivered").asInt() == 7,
                "7 events delivered");
        JsonNode forwarding = admin("GET", "/v1/admin/sources/sendgrid", null).path("forwarding");
        assertThat(forwarding.path("pending").asInt()).isZero();
        assertThat(forwarding.path("last_error").asText()).contains("HTTP 500");

        Map<String, JsonNode> byEvent = new HashMap<>();
        for (Captured c : received) {
            assertThat(c.signature).isEqualTo("Basic " + Base64.getEncoder().encodeToString("wk_secret_1234:".getBytes(StandardCharsets.UTF_8)));
            for (JsonNode m : M.readTree(c.body).path("batch")) {
                assertThat(byEvent.put(m.path("properties").path("event_id").asText(), m)).isNull(); // each once
            }
        }
        assertThat(byEvent.keySet()).containsExactlyInAnyOrder("d1", "o1", "c1", "b1", "s1", "u1", "g1");
        assertThat(byEvent.get("d1").path("event").asText()).isEqualTo("Email Delivered");
        assertThat(byEvent.get("d1").path("properties").path("email_id").asText()).isEqualTo("msg-d1");
        assertThat(byEvent.get("d1").path("anonymousId").asText()).isEqualTo("ada@x.io");
        assertThat(byEvent.get("d1").path("context").path("traits").path("email").asText()).isEqualTo("ada@x.io");
        assertThat(byEvent.get("o1").path("event").asText()).isEqualTo("Email Opened");
        assertThat(byEvent.get("o1").path("context").path("userAgent").asText()).isEqualTo("UA");
        assertThat(byEvent.get("c1").path("event").asText()).isEqualTo("Email Link Clicked");
        assertThat(byEvent.get("c1").path("properties").path("link_url").asText()).isEqualTo("https://shop.example/x");
        assertThat(byEvent.get("c1").path("properties").path("link_id").asText()).isEqualTo("2");
        assertThat(byEvent.get("b1").path("event").asText()).isEqualTo("Email Bounced");
        assertThat(byEvent.get("s1").path("event").asText()).isEqualTo("Email Marked as Spam");
        assertThat(byEvent.get("u1").path("event").asText()).isEqualTo("Unsubscribed");
        assertThat(byEvent.get("u1").path("userId").asText()).isEqualTo("u-7");
        assertThat(byEvent.get("g1").path("event").asText()).isEqualTo("Unsubscribed");
        assertThat(byEvent.get("g1").path("properties").path("list_id").asText()).isEqualTo("12");
        assertThat(byEvent.get("g1").path("messageId").asText()).isEqualTo("sendgrid-g1");

        // Amplitude's HTTP V2 format on a second source
        received.clear();
        failuresLeft.set(1);
        admin("PUT", "/v1/admin/sources/amp", "{\"forwarding\": {\"url\":\"" + base + "/2/httpapi\",\"format\":\"amplitude\",\"key\":\"amp-key\"}}");
        assertThat(post("/v1/webhooks/sendgrid/amp", ("[" + event("open", "ao1", "") + "," + event("click", "ac1", "") + "]")
                .getBytes(StandardCharsets.UTF_8), null, null).statusCode()).isEqualTo(200);
        awaitUntil(() -> !received.isEmpty(), "Amplitude batch received");
        JsonNode amp = M.readTree(received.get(0).body);
        assertThat(amp.path("api_key").asText()).isEqualTo("amp-key");
        assertThat(amp.path("events").findValuesAsText("event_type")).containsExactlyInAnyOrder("Email Opened", "Email Link Clicked");
        assertThat(amp.path("events").findValuesAsText("insert_id")).containsExactlyInAnyOrder("sendgrid-ao1", "sendgrid-ac1");
        assertThat(amp.path("events").get(0).path("time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(amp.path("events").get(0).path("device_id").asText()).isEqualTo("ada@x.io");
    }

    static String event(String type, String id, String extra) {
        return "{\"email\":\"ada@x.io\",\"timestamp\":1700000000,\"event\":\"" + type + "\",\"sg_event_id\":\"" + id
                + "\",\"sg_message_id\":\"msg-" + id + "\"" + extra + "}";
    }

    // ---------------------------------------------------------------- helpers

    record Captured(byte[] body, String signature, String timestamp) {}

    interface Handler {
        void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
    }

    HttpServer server(Handler handler) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", handler::handle);
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        s.start();
        servers.add(s);
        return s;
    }

    HttpResponse<String> post(String path, byte[] body, String signature, String timestamp) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header(SignatureVerifier.SIGNATURE_HEADER, signature);
        }
        if (timestamp != null) {
            b.header(SignatureVerifier.TIMESTAMP_HEADER, timestamp);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> adminRaw(String method, String path, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                    .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode admin(String method, String path, String body) {
        HttpResponse<String> r = adminRaw(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        try {
            return M.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode sendgrid(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + SG_KEY).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isLessThan(300);
        return r.body().isBlank() ? M.createObjectNode() : M.readTree(r.body());
    }

    JsonNode getJson(String url) {
        try {
            return M.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    Warehouse warehouse() {
        return hub.capture().warehouse();
    }

    String table(String name) {
        return warehouse().tableName("sendgrid", name);
    }

    long count(String schema, String table) {
        return warehouse().query(schema, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM "
                    + warehouse().tableName(schema, table))) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    long totalEvents(String schema) {
        long n = 0;
        for (String t : EVENT_TABLES) {
            n += count(schema, t);
        }
        return n;
    }

    long scalar(String sql) {
        return warehouse().query("sendgrid", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    String text(String sql) {
        return warehouse().query("sendgrid", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getString(1) : null;
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
