package io.gridsync.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser's analytics.js asks of the hub, over HTTP as the browser sends it: the short
 * routes with text/plain bodies, CORS preflights, per-key allowed origins, the project settings,
 * the bundle and its chunks.
 */
class BrowserCollectionTest {

    static final ObjectMapper M = new ObjectMapper();
    static final String SHOP = "http://shop.example:8000";

    @TempDir
    Path dir;
    Hub hub;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void shortRoutesTakeTextPlainBodiesWithTheKeyInBasicAuthOrInTheBody() throws Exception {
        Map<String, String> basic = Map.of("Authorization", basic(hub.writeKey()), "Content-Type", "text/plain", "Origin", SHOP);
        assertThat(post("/v1/i", basic, "{\"userId\":\"u1\",\"traits\":{\"email\":\"ada@example.com\"}}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/p", basic, "{\"anonymousId\":\"a1\",\"properties\":{\"url\":\"https://shop.example/\"}}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/s", basic, "{\"anonymousId\":\"a1\",\"name\":\"Home\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/g", basic, "{\"anonymousId\":\"a1\",\"groupId\":\"g1\"}").statusCode()).isEqualTo(200);
        assertThat(post("/v1/a", basic, "{\"userId\":\"u1\",\"previousId\":\"a1\"}").statusCode()).isEqualTo(200);
        // analytics.js's own body: writeKey in it, no Authorization header
        HttpResponse<String> t = post("/v1/t", Map.of("Content-Type", "text/plain", "Origin", SHOP),
                "{\"writeKey\":\"" + hub.writeKey() + "\",\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(t.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        HttpResponse<String> b = post("/v1/b", basic, "{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"a1\",\"event\":\"Order Completed\"},"
                + "{\"type\":\"page\",\"anonymousId\":\"a1\"}],\"sentAt\":\"2026-01-01T00:00:00.000Z\"}");
        assertThat(b.statusCode()).as(b.body()).isEqualTo(200);

        assertThat(stored("type")).containsExactly("identify", "page", "screen", "group", "alias", "track", "track", "page");
        // a type that is not the route's is refused as on the long routes
        HttpResponse<String> wrong = post("/v1/t", basic, "{\"type\":\"identify\",\"userId\":\"u1\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("does not match the endpoint /v1/track");
    }

    @Test
    void preflightsAreAnsweredWithWhatAnalyticsJsSends() throws Exception {
        for (String path : List.of("/v1/t", "/v1/b", "/v1/track", "/v1/batch")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", SHOP)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type,x-retry-count"));
            assertThat(r.statusCode()).as(path).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElse("")).contains("POST");
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                    .contains("Authorization", "Content-Type", "X-Retry-Count");
            assertThat(r.headers().firstValue("Access-Control-Max-Age")).isPresent();
        }
    }

    @Test
    void aKeyUsedFromAnOriginItDoesNotAllowIsRefusedWithTheReasonAndNothingIsStored() throws Exception {
        JsonNode keys = admin("GET", "/v1/admin/write-keys", null).path("write_keys");
        assertThat(keys.get(0).path("allowed_origins").toString()).isEqualTo("[\"*\"]"); // default: any, as Segment
        String id = keys.get(0).path("id").asText();
        JsonNode patched = admin("PATCH", "/v1/admin/write-keys/" + id,
                "{\"allowed_origins\":[\"https://Shop.example:443\",\"https://*.shop.example\"]}");
        assertThat(patched.path("allowed_origins").toString()).isEqualTo("[\"https://shop.example\",\"https://*.shop.example\"]");

        String body = "{\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}";
        HttpResponse<String> refused = post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://evil.example"), body);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(M.readTree(refused.body()).path("error").asText())
                .isEqualTo("the origin https://evil.example may not use this write key; add it to the key's allowed_origins "
                        + "(PATCH /v1/admin/write-keys/{id})");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://evil.example"); // its script may read why
        // the key in the body is checked the same way
        HttpResponse<String> inBody = post("/v1/t", Map.of("Origin", "https://evil.example"),
                "{\"writeKey\":\"" + hub.writeKey() + "\",\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}");
        assertThat(inBody.statusCode()).isEqualTo(403);
        HttpResponse<String> settings = get("/v1/projects/" + hub.writeKey() + "/settings", Map.of("Origin", "https://evil.example"));
        assertThat(settings.statusCode()).isEqualTo(403);
        assertThat(settings.body()).contains("may not use this write key");
        assertThat(stored("type")).isEmpty();

        assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://shop.example"), body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://www.shop.example"), body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey())), body).statusCode()).isEqualTo(200); // a server: no Origin
        assertThat(stored("type")).hasSize(3);
        String metrics = get("/metrics", Map.of()).body();
        assertThat(metrics).containsPattern("gridsync_collect_requests_rejected_total\\{reason=\"origin_not_allowed\"} 2\\.0");

        // mistakes in the setting are named; ["*"] allows any again
        HttpResponse<String> bad = adminRaw("PATCH", "/v1/admin/write-keys/" + id, "{\"allowed_origins\":[\"shop.example/path\"]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("allowed origin 'shop.example/path' must be scheme://host[:port]");
        assertThat(admin("PATCH", "/v1/admin/write-keys/" + id, "{\"allowed_origins\":[\"*\"]}").path("allowed_origins").toString())
                .isEqualTo("[\"*\"]");
        assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://evil.example"), body).statusCode()).isEqualTo(200);
    }

    @Test
    void allowedOriginsAreKeptAcrossRestartsOnPostgresql(@TempDir Path other) throws Exception {
        try (io.gridsync.server.testing.PostgresDatabases pg = new io.gridsync.server.testing.PostgresDatabases()) {
            HubConfig config = HubConfig.defaults(other.resolve("data"), 0).withEnvironment(Map.of(
                    "GRIDSYNC_DATABASE_URL", pg.jdbcUrl(pg.create()), "GRIDSYNC_DATABASE_USER", "postgres"));
            hub.close();
            hub = Hub.start(config);
            String id = admin("GET", "/v1/admin/write-keys", null).path("write_keys").get(0).path("id").asText();
            admin("PATCH", "/v1/admin/write-keys/" + id, "{\"allowed_origins\":[\"" + SHOP + "\"]}");
            hub.close();
            hub = Hub.start(config);
            assertThat(admin("GET", "/v1/admin/write-keys", null).path("write_keys").get(0).path("allowed_origins").toString())
                    .isEqualTo("[\"" + SHOP + "\"]");
            String body = "{\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}";
            assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://evil.example"), body).statusCode())
                    .isEqualTo(403);
            assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", SHOP), body).statusCode()).isEqualTo(200);
            admin("PATCH", "/v1/admin/write-keys/" + id, "{\"allowed_origins\":[\"*\"]}"); // back to any: stored as NULL
            assertThat(post("/v1/t", Map.of("Authorization", basic(hub.writeKey()), "Origin", "https://evil.example"), body).statusCode())
                    .isEqualTo(200);
            hub.close();
            hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0)); // for stop()
        }
    }

    @Test
    void newKeysMayBeCreatedForSomeOriginsOnly() throws Exception {
        JsonNode created = admin("POST", "/v1/admin/write-keys", "{\"name\":\"web\",\"allowed_origins\":[\"" + SHOP + "\"]}");
        String key = created.path("write_key").asText();
        assertThat(created.path("allowed_origins").toString()).isEqualTo("[\"" + SHOP + "\"]");
        String body = "{\"anonymousId\":\"a1\",\"event\":\"Product Viewed\"}";
        assertThat(post("/v1/t", Map.of("Authorization", basic(key), "Origin", SHOP), body).statusCode()).isEqualTo(200);
        assertThat(post("/v1/t", Map.of("Authorization", basic(key), "Origin", "http://shop.example"), body).statusCode()).isEqualTo(403);
    }

    @Test
    void settingsPointAnalyticsJsAtThisHubAndTheBundleCarriesTheKey() throws Exception {
        HttpResponse<String> r = get("/v1/projects/" + hub.writeKey() + "/settings", Map.of("Origin", SHOP));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        JsonNode segment = M.readTree(r.body()).path("integrations").path("Segment.io");
        assertThat(segment.path("apiKey").asText()).isEqualTo(hub.writeKey());
        assertThat(segment.path("apiHost").asText()).isEqualTo("127.0.0.1:" + hub.port() + "/v1");
        assertThat(segment.path("protocol").asText()).isEqualTo("http");
        assertThat(M.readTree(r.body()).path("metrics").path("sampleRate").asInt()).isZero();

        HttpResponse<String> js = get("/analytics.js/v1/" + hub.writeKey() + "/analytics.min.js", Map.of());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
        assertThat(js.body()).contains("window.analyticsWriteKey=\"" + hub.writeKey() + "\"").doesNotContain("\"__WRITE_KEY__\"");
        assertThat(get("/analytics-next/bundles/queryString.bundle.34b193ada8fe288d1bd1.js", Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> unknownChunk = get("/analytics-next/bundles/..%2F..%2Flogback.xml", Map.of());
        assertThat(unknownChunk.statusCode()).isEqualTo(404);
        HttpResponse<String> unknownKey = get("/v1/projects/nope/settings", Map.of());
        assertThat(unknownKey.statusCode()).isEqualTo(404);
        assertThat(unknownKey.body()).contains("the write key is not known or was revoked");
        assertThat(get("/analytics.js/v1/nope/analytics.min.js", Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void behindAProxyTheSettingsNameThePublicUrl(@TempDir Path other) throws Exception {
        try (Hub proxied = Hub.start(HubConfig.defaults(other.resolve("data"), 0)
                .withEnvironment(Map.of("GRIDSYNC_PUBLIC_URL", "https://collect.shop.example/")))) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(proxied.baseUrl() + "/v1/projects/" + proxied.writeKey() + "/settings")));
            JsonNode segment = M.readTree(r.body()).path("integrations").path("Segment.io");
            assertThat(segment.path("apiHost").asText()).isEqualTo("collect.shop.example/v1");
            assertThat(segment.path("protocol").asText()).isEqualTo("https");
        }
    }

    private List<String> stored(String column) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = hub.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + column + " FROM messages ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes());
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).GET();
        headers.forEach(b::header);
        return send(b);
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = adminRaw(method, path, body);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
        return M.readTree(r.body());
    }

    private HttpResponse<String> adminRaw(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path)).header("Authorization", "Bearer " + hub.adminToken())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
