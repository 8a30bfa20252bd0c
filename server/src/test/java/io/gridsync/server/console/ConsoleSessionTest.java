package io.gridsync.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's sign-in over HTTP, as a browser (or an attacker) sends it: the admin token becomes
 * an HttpOnly, SameSite=Strict session cookie; writes need the CSRF header; signing out ends the
 * session even for a copy of the cookie; pages carry a strict CSP and need a session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleSessionTest {

    private static final ObjectMapper M = new ObjectMapper();
    private Path dir;
    private Hub hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        dir = java.nio.file.Files.createTempDirectory("console-session");
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0));
    }

    @AfterAll
    void stop() throws Exception {
        hub.close();
        try (var files = java.nio.file.Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theAdminTokenBecomesASessionCookieThatWritesOnlyWithItsCsrfToken() throws Exception {
        HttpResponse<String> wrong = send("POST", "/v1/admin/session", "{\"token\":\"nope\"}", null, null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(M.readTree(wrong.body()).path("error").asText()).contains("admin token is not valid");
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> signIn = send("POST", "/v1/admin/session", "{\"token\":\"" + hub.adminToken() + "\"}", null, null);
        assertThat(signIn.statusCode()).isEqualTo(201);
        String setCookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Max-Age=28800").contains("Path=/");
        assertThat(setCookie).doesNotContain(hub.adminToken());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = M.readTree(signIn.body()).path("csrf_token").asText();
        assertThat(csrf).isNotBlank();

        // reads with the cookie alone; the session says when it ends and gives the CSRF token again
        assertThat(send("GET", "/v1/admin/write-keys", null, cookie, null).statusCode()).isEqualTo(200);
        JsonNode session = M.readTree(send("GET", "/v1/admin/session", null, cookie, null).body());
        assertThat(session.path("csrf_token").asText()).isEqualTo(csrf);
        assertThat(session.path("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        // the audience API takes the same session
        assertThat(send("GET", "/v1/audiences?integration=cli", null, cookie, null).statusCode()).isEqualTo(200);

        // a write without the CSRF header (a form posted from another site) is refused, with it accepted
        HttpResponse<String> forged = send("POST", "/v1/admin/write-keys", "{\"name\":\"site\"}", cookie, null);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(M.readTree(forged.body()).path("error").asText()).contains("X-CSRF-Token");
        assertThat(send("POST", "/v1/admin/write-keys", "{\"name\":\"site\"}", cookie, "wrong").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/admin/write-keys", "{\"name\":\"site\"}", cookie, csrf).statusCode()).isEqualTo(201);

        // a cookie changed by hand is not a session
        String tampered = cookie.substring(0, cookie.indexOf('.') + 1) + "9999999999" + cookie.substring(cookie.indexOf('.', cookie.indexOf('.') + 1));
        assertThat(send("GET", "/v1/admin/write-keys", null, tampered, null).statusCode()).isEqualTo(401);

        // signing out ends the session: a copy of the cookie kept elsewhere is refused too
        HttpResponse<String> out = send("DELETE", "/v1/admin/session", null, cookie, csrf);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        HttpResponse<String> after = send("GET", "/v1/admin/write-keys", null, cookie, null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(M.readTree(after.body()).path("error").asText()).contains("sign in again");
    }

    @Test
    void pagesNeedASessionAndCarryAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> signInPage = send("GET", "/", null, null, null);
        assertThat(signInPage.statusCode()).isEqualTo(200);
        assertThat(signInPage.body()).contains("name=\"token\"").contains("type=\"password\"");
        String csp = signInPage.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(signInPage.body()).doesNotContain("<script>").doesNotContain("style=");

        for (String page : ConsolePages.PAGES) {
            HttpResponse<String> refused = send("GET", "/" + page, null, null, null);
            assertThat(refused.statusCode()).as(page).isEqualTo(303);
            assertThat(refused.headers().firstValue("Location").orElseThrow()).isEqualTo("/?next=%2F" + page);
        }
        String cookie = signIn();
        for (String page : ConsolePages.PAGES) {
            HttpResponse<String> shown = send("GET", "/" + page, null, cookie, null);
            assertThat(shown.statusCode()).as(page).isEqualTo(200);
            assertThat(shown.headers().firstValue("Content-Security-Policy")).as(page).isPresent();
            assertThat(shown.body()).contains("/console/app.js");
            assertThat(send("GET", "/console/pages/" + page + ".js", null, null, null).statusCode()).as(page).isEqualTo(200);
        }
        assertThat(send("GET", "/console/vendor/uPlot.esm.js", null, null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/console/..%2Fgridsync.db", null, null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/pages/nothing.js", null, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void rotatingTheAdminTokenEndsEverySession() throws Exception {
        try (Hub own = Hub.start(HubConfig.defaults(dir.resolve("rotating"), 0))) {
            HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create(own.baseUrl() + "/v1/admin/session"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"token\":\"" + own.adminToken() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String cookie = in.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpRequest read = HttpRequest.newBuilder(URI.create(own.baseUrl() + "/v1/admin/write-keys")).header("Cookie", cookie).build();
            assertThat(http.send(read, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            HttpResponse<String> rotated = http.send(HttpRequest.newBuilder(URI.create(own.baseUrl() + "/v1/admin/admin-token/rotate"))
                    .header("Authorization", "Bearer " + own.adminToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rotated.statusCode()).isEqualTo(200);
            assertThat(http.send(read, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    private String signIn() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/admin/session", "{\"token\":\"" + hub.adminToken() + "\"}", null, null);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private HttpResponse<String> send(String method, String path, String body, String cookie, String csrf) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
