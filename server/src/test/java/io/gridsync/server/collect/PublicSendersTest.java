package io.gridsync.server.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What protects a public (browser) write key and what the hub adds to each message, through a
 * running hub: rate limits per client address and per key (429 then recovery), context.ip from the
 * connection or from a trusted proxy's X-Forwarded-For, the timestamp corrected for clock skew.
 */
class PublicSendersTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String TRACK = "{\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock();

    @Test
    void aClientOverItsRateIsAnswered429WithRetryAfterAndMaySendAgainOnceItHasWaited() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        clock.set(t0);
        HubConfig config = HubConfig.defaults(dir.resolve("data"), 0);
        try (Hub hub = Hub.start(config.withCollect(config.collect().withRateLimits(100, 2)), clock)) {
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = track(hub, hub.writeKey(), Map.of());
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(M.readTree(limited.body()).path("error").asText())
                    .isEqualTo("this address sent more than 2 requests a second; wait for Retry-After, then send again");

            clock.set(t0.plusMillis(500)); // half a second: one request's worth
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(429);
            clock.set(t0.plusSeconds(5)); // refilled, up to its burst of one second's worth
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(429);

            assertThat(count(hub)).isEqualTo(5);
            assertThat(metric(hub, "rate_limited_client")).isEqualTo("3.0");
        }
    }

    @Test
    void aWriteKeyOverItsRateIsLimitedWhateverAddressesSendIt() throws Exception {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        clock.set(t0);
        HubConfig config = HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(Map.of("GRIDSYNC_TRUSTED_PROXIES", "127.0.0.1"));
        try (Hub hub = Hub.start(config.withCollect(config.collect().withRateLimits(3, 100)), clock)) {
            for (int i = 0; i < 3; i++) {
                assertThat(track(hub, hub.writeKey(), Map.of("X-Forwarded-For", "198.51.100." + i)).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> limited = track(hub, hub.writeKey(), Map.of("X-Forwarded-For", "198.51.100.9"));
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("this write key was sent with more than 3 requests a second");
            // the key in the body is counted the same way
            HttpResponse<String> inBody = post(hub, "/v1/t", Map.of(), "{\"writeKey\":\"" + hub.writeKey() + "\"," + TRACK.substring(1));
            assertThat(inBody.statusCode()).isEqualTo(429);
            // another key has its own bucket
            String other = createKey(hub);
            assertThat(track(hub, other, Map.of()).statusCode()).isEqualTo(200);
            clock.set(t0.plusSeconds(1));
            assertThat(track(hub, hub.writeKey(), Map.of()).statusCode()).isEqualTo(200);
            assertThat(metric(hub, "rate_limited_write_key")).isEqualTo("2.0");
        }
    }

    @Test
    void contextIpIsTheConnectionsAndXForwardedForIsBelievedOnlyFromATrustedProxy() throws Exception {
        try (Hub direct = Hub.start(HubConfig.defaults(dir.resolve("direct"), 0))) {
            track(direct, direct.writeKey(), Map.of("X-Forwarded-For", "203.0.113.50"));
            post(direct, "/v1/t", Map.of("Authorization", basic(direct.writeKey())),
                    "{\"anonymousId\":\"a1\",\"event\":\"E\",\"context\":{\"ip\":\"192.0.2.1\",\"locale\":\"en-US\"}}");
            post(direct, "/v1/b", Map.of("Authorization", basic(direct.writeKey())),
                    "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a1\",\"event\":\"E\"}],\"context\":{\"library\":{\"name\":\"x\"}}}");
            List<JsonNode> stored = bodies(direct);
            assertThat(stored.get(0).path("context").path("ip").asText()).isEqualTo("127.0.0.1"); // the header is anyone's to write
            assertThat(stored.get(1).path("context").path("ip").asText()).isEqualTo("192.0.2.1"); // the client's own is kept
            assertThat(stored.get(1).path("context").path("locale").asText()).isEqualTo("en-US");
            assertThat(stored.get(2).path("context").path("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(stored.get(2).path("context").path("library").path("name").asText()).isEqualTo("x");
        }
        Map<String, String> env = Map.of("GRIDSYNC_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1");
        try (Hub proxied = Hub.start(HubConfig.defaults(dir.resolve("proxied"), 0).withEnvironment(env))) {
            // client, then an untrusted hop, then a trusted proxy: the untrusted hop is as far as the chain is believed
            track(proxied, proxied.writeKey(), Map.of("X-Forwarded-For", "198.51.100.7, 203.0.113.50, 10.1.2.3"));
            track(proxied, proxied.writeKey(), Map.of("X-Forwarded-For", "198.51.100.7, 10.1.2.3"));
            track(proxied, proxied.writeKey(), Map.of("X-Forwarded-For", "not-an-address"));
            List<JsonNode> stored = bodies(proxied);
            assertThat(stored.get(0).path("context").path("ip").asText()).isEqualTo("203.0.113.50");
            assertThat(stored.get(1).path("context").path("ip").asText()).isEqualTo("198.51.100.7");
            assertThat(stored.get(2).path("context").path("ip").asText()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void theTimestampIsCorrectedForTheClientsClockSkew() throws Exception {
        try (Hub hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0))) {
            // a device whose clock is 2 hours fast: it tracked 3 s before it sent
            Instant deviceNow = Instant.now().plusSeconds(7200);
            String timestamp = deviceNow.minusSeconds(3).toString();
            String sentAt = deviceNow.toString();
            post(hub, "/v1/t", Map.of("Authorization", basic(hub.writeKey())),
                    "{\"anonymousId\":\"a1\",\"event\":\"E\",\"timestamp\":\"" + timestamp + "\",\"sentAt\":\"" + sentAt + "\"}");
            // in a batch, its sentAt counts for every message
            post(hub, "/v1/b", Map.of("Authorization", basic(hub.writeKey())), "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a1\","
                    + "\"event\":\"E\",\"timestamp\":\"" + timestamp + "\"}],\"sentAt\":\"" + sentAt + "\"}");
            // text that is not ASCII before the timestamp, an empty context, a nested one with an ip deeper down
            post(hub, "/v1/t", Map.of("Authorization", basic(hub.writeKey())), "{\"anonymousId\":\"a1\",\"event\": \"E\","
                    + "\"properties\":{\"city\":\"Zürich ✓ 🚀\"},\"context\":{},\"timestamp\":\"" + timestamp + "\",\"sentAt\":\"" + sentAt + "\"}");
            post(hub, "/v1/t", Map.of("Authorization", basic(hub.writeKey())), "{\"anonymousId\":\"a1\",\"timestamp\":\"" + timestamp
                    + "\",\"event\":\"E\",\"context\":{\"device\":{\"ip\":\"x\"},\"page\":{\"title\":\"Café\"}},\"sentAt\":\"" + sentAt + "\"}");
            // without sentAt there is nothing to correct by
            post(hub, "/v1/t", Map.of("Authorization", basic(hub.writeKey())),
                    "{\"anonymousId\":\"a1\",\"event\":\"E\",\"timestamp\":\"" + timestamp + "\"}");
            // analytics.js's writeKey in the message: written out again as a tree, corrected the same way
            post(hub, "/v1/t", Map.of("Authorization", basic(hub.writeKey())), "{\"anonymousId\":\"a1\",\"event\":\"E\","
                    + "\"writeKey\":\"" + hub.writeKey() + "\",\"timestamp\":\"" + timestamp + "\",\"sentAt\":\"" + sentAt + "\"}");
            List<JsonNode> stored = bodies(hub);
            assertThat(stored.get(5).has("writeKey")).isFalse();
            for (JsonNode m : List.of(stored.get(0), stored.get(1), stored.get(2), stored.get(3), stored.get(5))) {
                Instant receivedAt = Instant.parse(m.path("receivedAt").asText());
                assertThat(m.path("originalTimestamp").asText()).isEqualTo(timestamp);
                assertThat(Instant.parse(m.path("timestamp").asText())).isEqualTo(receivedAt.minusSeconds(3));
                assertThat(m.path("context").path("ip").asText()).isEqualTo("127.0.0.1");
            }
            assertThat(stored.get(2).path("properties").path("city").asText()).isEqualTo("Zürich ✓ 🚀");
            // kept as sent, the hub's changes spliced in: not parsed and written out again (docs/collect.md, Performance)
            assertThat(bodies(hub).get(2).toString()).isNotEqualTo(rawBody(hub, 3));
            assertThat(rawBody(hub, 3)).contains("\"event\": \"E\"").contains("\"context\":{\"ip\":\"127.0.0.1\"}");
            assertThat(stored.get(3).path("context").path("device").path("ip").asText()).isEqualTo("x");
            assertThat(stored.get(3).path("context").path("page").path("title").asText()).isEqualTo("Café");
            assertThat(stored.get(4).path("timestamp").asText()).isEqualTo(timestamp);
            assertThat(stored.get(4).has("originalTimestamp")).isFalse();
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStartNamingTheSetting() {
        HubConfig config = HubConfig.defaults(dir.resolve("data"), 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withEnvironment(Map.of("GRIDSYNC_TRUSTED_PROXIES", "proxy.internal")))
                .hasMessage("GRIDSYNC_TRUSTED_PROXIES: 'proxy.internal' is not an IP address or a CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, ::1)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withEnvironment(Map.of("GRIDSYNC_RATE_LIMIT_CLIENT", "fast")))
                .hasMessage("GRIDSYNC_RATE_LIMIT_CLIENT 'fast' must be requests per second, a number >= 0 (0: no limit)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.withEnvironment(Map.of("GRIDSYNC_PUBLIC_URL", "collect.shop.example")))
                .hasMessageStartingWith("GRIDSYNC_PUBLIC_URL 'collect.shop.example' must be the hub's URL as browsers reach it");
    }

    private String createKey(Hub hub) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/v1/admin/write-keys"))
                .header("Authorization", "Bearer " + hub.adminToken()).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"other\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return M.readTree(r.body()).path("write_key").asText();
    }

    private HttpResponse<String> track(Hub hub, String key, Map<String, String> headers) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put("Authorization", basic(key));
        return post(hub, "/v1/t", h, TRACK);
    }

    private HttpResponse<String> post(Hub hub, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String metric(Hub hub, String reason) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(l -> l.startsWith("gridsync_collect_requests_rejected_total{reason=\"" + reason + "\"}"))
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse("absent");
    }

    private static long count(Hub hub) throws Exception {
        try (Connection c = hub.database().connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<JsonNode> bodies(Hub hub) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = hub.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM messages ORDER BY seq")) {
            while (rs.next()) {
                out.add(M.readTree(rs.getString(1)));
            }
        }
        return out;
    }

    private static String rawBody(Hub hub, long seq) throws Exception {
        try (Connection c = hub.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT body FROM messages WHERE seq = " + seq)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes());
    }
}
