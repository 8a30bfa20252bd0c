package io.gridsync.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.Browser;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segment's own analytics.js (the vendored bundle, loaded by Segment's standard snippet with only
 * its hosts changed) in headless Chromium, on a shop page served from another origin: identify,
 * page, Product Viewed and Order Completed end in the emulator as one contact with its behaviour
 * fields; the same with analytics.js's batching strategy (/v1/b); a page from an origin the write
 * key does not allow gets nothing stored.
 */
class AnalyticsJsBrowserTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.browser-0123456789abcdef";
    /**
     * Segment's snippet 5.2.0 as its docs give it, but for the hub's address as the script's host and as
     * {@code _cdn} (analytics.js finds its CDN from the script's URL only when that is https), and without
     * its {@code analytics.page()} line, which the page calls once identify is sent.
     */
    private static final String SNIPPET = """
            !function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="HUB/analytics.js/v1/" + key + "/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey="WRITE_KEY";;analytics.SNIPPET_VERSION="5.2.0";
            analytics._cdn="HUB";
            analytics.load("WRITE_KEY"LOAD_OPTIONS);
            }}();""";

    @TempDir
    Path dir;
    private Emulator emulator;
    private Hub hub;
    private HttpServer shop;
    private HttpServer elsewhere;
    private String loadOptions = "";
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS));
        JsonNode installed = admin("POST", "/v1/admin/integration-catalog/sendgrid/install", """
                {"name":"SendGrid","variant":"sendgrid","delivery_mode":"server_side",
                 "config":{"api_key":"%s","endpoint":"%s","create_missing_fields":true}}""".formatted(SG_KEY, emulator.baseUrl()));
        assertThat(installed.path("name").asText()).isEqualTo("SendGrid");
        shop = pageServer();
        elsewhere = pageServer();
    }

    @AfterEach
    void stop() {
        shop.stop(0);
        elsewhere.stop(0);
        hub.close();
        emulator.close();
    }

    @Test
    void analyticsJsOnAShopPageMakesAContactWithItsBehaviourFields() {
        try (Browser browser = Browser.start()) {
            String page = origin(shop) + "/shoes";
            browser.open(page);
            // page and track are separate messages whose updates may land in either order: wait for all three fields
            awaitUntil(browser, () -> {
                JsonNode f = contact("ada@example.com").path("custom_fields");
                return f.path("lifetime_value").asDouble() == 20.5 && !f.path("last_page_url").asText().isEmpty()
                        && !f.path("last_product_id").asText().isEmpty();
            }, () -> "the page, product and order in SendGrid; events: " + admin("GET", "/v1/admin/events?limit=20", null));
            JsonNode fields = contact("ada@example.com").path("custom_fields");
            assertThat(fields.path("last_page_url").asText()).isEqualTo(page);
            assertThat(fields.path("last_product_id").asText()).isEqualTo("sku-42");
            assertThat(sentTo(browser)).contains(hub.baseUrl() + "/v1/i", hub.baseUrl() + "/v1/p", hub.baseUrl() + "/v1/t");
        }
    }

    @Test
    void theBatchingStrategyPostsToSlashB() {
        loadOptions = ",{integrations:{\"Segment.io\":{deliveryStrategy:{strategy:\"batching\",config:{size:10,timeout:500}}}}}";
        try (Browser browser = Browser.start()) {
            String page = origin(shop) + "/shoes";
            browser.open(page);
            awaitUntil(browser, () -> contact("ada@example.com").path("custom_fields").path("lifetime_value").asDouble() == 20.5,
                    () -> "the order in SendGrid");
            JsonNode fields = contact("ada@example.com").path("custom_fields");
            assertThat(fields.path("last_page_url").asText()).isEqualTo(page);
            assertThat(fields.path("last_product_id").asText()).isEqualTo("sku-42");
            assertThat(sentTo(browser)).contains(hub.baseUrl() + "/v1/b").doesNotContain(hub.baseUrl() + "/v1/t");
        }
    }

    @Test
    void aPageFromAnOriginTheKeyDoesNotAllowIsRefusedAndNothingIsStored() throws Exception {
        String id = admin("GET", "/v1/admin/write-keys", null).path("write_keys").get(0).path("id").asText();
        admin("PATCH", "/v1/admin/write-keys/" + id, "{\"allowed_origins\":[\"" + origin(shop) + "\"]}");
        try (Browser browser = Browser.start()) {
            browser.open(origin(elsewhere) + "/shoes");
            String settings = hub.baseUrl() + "/v1/projects/" + hub.writeKey() + "/settings";
            browser.await(d -> sentTo(browser).contains(settings)); // asked, and answered 403
            assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.analytics.initialized === true")).isEqualTo(false);
            assertThat(storedMessages()).isZero();

            browser.open(origin(shop) + "/shoes"); // the allowed origin, same key: works
            awaitUntil(browser, () -> storedMessages() >= 4, () -> "the allowed page's messages stored");
        }
        assertThat(storedMessages()).isEqualTo(4);
    }

    /** A tiny web server on its own loopback port: another origin than the hub's. */
    private HttpServer pageServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String snippet = SNIPPET.replace("HUB", hub.baseUrl()).replace("WRITE_KEY", hub.writeKey()).replace("LOAD_OPTIONS", loadOptions);
            byte[] html = ("""
                    <!doctype html><html><head><title>Shoes</title><script>%s
                    // the rest once identify is sent: the hub holds a person's behaviour until it has seen who they are
                    analytics.identify("ada", {email: "ada@example.com", first_name: "Ada"}, {}, function () {
                      analytics.page();
                      analytics.track("Product Viewed", {product_id: "sku-42"});
                      analytics.track("Order Completed", {revenue: 20.5});
                    });
                    </script></head><body><h1>Shoes</h1></body></html>""").formatted(snippet).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(html);
            }
        });
        server.start();
        return server;
    }

    private static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The URLs the page fetched (Resource Timing), to see which routes analytics.js used. */
    @SuppressWarnings("unchecked")
    private static List<String> sentTo(Browser browser) {
        return (List<String>) ((JavascriptExecutor) browser.driver())
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
    }

    private long storedMessages() {
        try (Connection c = hub.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM messages")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode contact(String email) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/v3/marketing/contacts/search/emails"))
                    .header("Authorization", "Bearer " + SG_KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"emails\":[\"" + email + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
            return M.readTree(r.body()).path("result").path(email).path("contact");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode admin(String method, String path, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                    .header("Authorization", "Bearer " + hub.adminToken()).header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isLessThan(300);
            return M.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitUntil(Browser browser, BooleanSupplier done, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 60 s: " + what.get() + "; the page fetched " + sentTo(browser)
                        + "; console: " + browser.consoleLog());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
