package io.gridsync.server.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.TrackMessage;
import io.gridsync.emulator.Emulator;
import io.gridsync.emulator.EmulatorConfig;
import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.console.ConsolePages;
import io.gridsync.server.testing.Browser;
import io.gridsync.server.testing.EmulatorHttp;
import io.gridsync.server.testing.HubCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator steers the hub from the console in a real headless Chromium: signs in, installs
 * SendGrid (the emulator), watches analytics-java's events arrive with SendGrid's 202s, edits a
 * subscription with its preview, replays a dead letter made by an emulator fault, plans an audience
 * sync, and signs out. One hub, emulator and browser for the class; each page is photographed at
 * 1280 and 390 px into target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final ObjectMapper M = new ObjectMapper();
    private static final String SG_KEY = "SG.console-0123456789abcdef";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private Path dir;
    private Emulator emulator;
    private Hub hub;
    private Browser browser;
    private Analytics analytics;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        browser = Browser.start(); // skips the class when chromium is not installed
        dir = Files.createTempDirectory("console-browser");
        emulator = Emulator.start(new EmulatorConfig().port(0).importDelayMillis(10));
        hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0).withEnvironment(HubCalls.LOCAL_ENDPOINTS)
                .withEnvironment(Map.of("GRIDSYNC_DEAD_LETTER_AFTER", "2s")));
        analytics = Analytics.builder(hub.writeKey()).endpoint(hub.baseUrl()).flushQueueSize(5).flushInterval(1, TimeUnit.SECONDS).build();
    }

    @AfterAll
    void stop() throws Exception {
        if (analytics != null) {
            analytics.shutdown();
        }
        if (browser != null) {
            browser.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void signInRefusesAWrongTokenAndAcceptsTheAdminToken() {
        browser.open(hub.baseUrl() + "/");
        shot("sign-in", Browser.DESKTOP);
        WebElement token = browser.await(d -> d.findElement(By.cssSelector("input[type=password][name=token]")));
        token.sendKeys("not-the-token");
        click(By.cssSelector("#signin button[type=submit]"));
        browser.await(d -> d.findElement(By.id("signin-error")).isDisplayed());
        assertThat(text(By.id("signin-error"))).contains("not valid");

        token.clear();
        token.sendKeys(hub.adminToken());
        click(By.cssSelector("#signin button[type=submit]"));
        browser.await(d -> d.getCurrentUrl().endsWith("/overview"));
        awaitPage();
        assertThat(text(By.id("title"))).isEqualTo("Overview");
        assertThat(browser.driver().manage().getCookieNamed("gridsync_session").isHttpOnly()).isTrue();
    }

    @Test
    @Order(2)
    void installSendGridAndSeeTheCredentialsTest() {
        go("/integrations");
        browser.driver().findElement(By.name("api_key")).sendKeys(SG_KEY);
        new Select(browser.driver().findElement(By.name("region"))).selectByValue("url");
        browser.driver().findElement(By.name("endpoint")).sendKeys(emulator.baseUrl());
        click(By.xpath("//button[normalize-space()='Install and test']"));
        awaitText("Credentials test passed");
        awaitText("Disable");
        assertThat(browser.driver().getPageSource()).doesNotContain(SG_KEY).contains("SG.****");

        // disable and enable again, as a user pausing delivery would
        click(By.xpath("//button[normalize-space()='Disable']"));
        awaitText("disabled.");
        click(By.xpath("//button[normalize-space()='Enable']"));
        awaitText("enabled.");
        assertThat(adminGet("/v1/admin/integrations").path("integrations").get(0).path("enabled").asBoolean()).isTrue();
    }

    @Test
    @Order(3)
    void eventsFromAnalyticsJavaAppearLiveWithSendGridsAnswers() {
        go("/events");
        analytics.enqueue(IdentifyMessage.builder().userId("ada").traits(Map.of("email", "ada@example.com", "first_name", "Ada")));
        analytics.enqueue(TrackMessage.builder("Order Completed").userId("ada").properties(Map.of("revenue", 20.5)));
        analytics.flush();
        // the page follows new messages by itself: no reload
        browser.await(d -> rows().size() >= 2 && rows().stream().allMatch(r -> r.getText().contains("delivered")));
        String table = text(By.cssSelector("#page table"));
        assertThat(table).contains("ada@example.com").contains("Order Completed").contains("202");

        click(By.xpath("(//button[normalize-space()='Details'])[last()]"));
        awaitText("Raw message");
        assertThat(text(By.cssSelector("section[aria-label='Message detail']"))).contains("upsert_contact").contains("202")
                .contains("\"email\": \"ada@example.com\"");
    }

    @Test
    @Order(4)
    void editASubscriptionWithItsPreviewBeforeSaving() {
        go("/subscriptions");
        click(By.cssSelector("button[data-edit='Identify to contact']"));
        WebElement message = browser.await(d -> d.findElement(By.name("message")));
        // a recent message is one choice away
        Select recent = new Select(browser.driver().findElement(By.name("recent")));
        recent.getOptions().stream().filter(o -> o.getText().contains("ada@example.com")).findFirst().orElseThrow().click();
        browser.await(d -> message.getAttribute("value").contains("\"first_name\": \"Ada\""));
        setValue(message, "{\"type\":\"identify\",\"userId\":\"lin\",\"traits\":{\"email\":\"lin@example.com\",\"nickname\":\"Linnie\"}}");
        WebElement mapping = browser.driver().findElement(By.name("mapping"));
        setValue(mapping, "{\"first_name\": {\"@path\": \"$.traits.nickname\"}}");

        // an error is shown where it is: under the trigger
        WebElement trigger = browser.driver().findElement(By.name("trigger"));
        setValue(trigger, "type = ");
        click(By.xpath("//button[normalize-space()='Preview']"));
        browser.await(d -> d.findElement(By.id(trigger.getAttribute("id") + "-error")).isDisplayed());
        assertThat(trigger.getAttribute("aria-invalid")).isNotNull();

        setValue(trigger, "type = \"identify\"");
        click(By.xpath("//button[normalize-space()='Preview']"));
        awaitText("Payload of upsert_contact");
        String preview = text(By.cssSelector("pre.json"));
        assertThat(preview).contains("\"first_name\": \"Linnie\"").contains("\"primary_email\": \"lin@example.com\"");
        assertThat(text(By.id("main"))).contains("matches");
        shot("subscriptions-preview", Browser.DESKTOP);

        click(By.xpath("//button[normalize-space()='Save']"));
        awaitText("Saved Identify to contact");
        String id = adminGet("/v1/admin/integrations").path("integrations").get(0).path("id").asText();
        JsonNode saved = adminGet("/v1/admin/integrations/" + id + "/subscriptions/Identify%20to%20contact");
        assertThat(saved.path("mapping").path("first_name").path("@path").asText()).isEqualTo("$.traits.nickname");
    }

    @Test
    @Order(5)
    void aDeadLetterFromAnEmulatorFaultIsReplayed() {
        EmulatorHttp sg = new EmulatorHttp(emulator, SG_KEY);
        sg.call("PUT", "/_emulator/faults", "{\"shares\":{\"error_500\":1.0}}");
        analytics.enqueue(IdentifyMessage.builder().userId("grace").traits(Map.of("email", "grace@example.com", "first_name", "Grace")));
        analytics.flush();
        awaitUntil(() -> adminGet("/v1/admin/dead-letters").path("count").asInt() == 1, "grace's job dead-lettered");
        sg.call("DELETE", "/_emulator/faults", null);

        go("/dead-letters");
        awaitText("1 dead letter");
        assertThat(text(By.cssSelector("#page table"))).contains("gave up").contains("500");
        shot("dead-letters-to-replay", Browser.DESKTOP);
        click(By.xpath("//button[normalize-space()='Replay all 1']"));
        awaitText("Replayed 1");
        awaitText("0 dead letters");

        // the live events, filtered to her, show the delivery that followed
        go("/events?email=grace");
        browser.await(d -> rows().size() == 1 && rows().get(0).getText().contains("delivered"));
        awaitUntil(() -> !sg.contact("grace@example.com").isMissingNode(), "grace in SendGrid"); // first_name now maps from nickname
    }

    @Test
    @Order(6)
    void anAudienceDryRunShowsThePlanAndChangesNothing() throws Exception {
        Files.writeString(dir.resolve("data").resolve("imports").resolve("vip.csv"),
                "email,first_name\nada@example.com,Ada\nmarie@example.com,Marie\n");
        go("/audiences");
        browser.driver().findElement(By.name("audience")).sendKeys("vip");
        browser.driver().findElement(By.name("csv")).sendKeys("vip.csv");
        click(By.xpath("//button[normalize-space()='Dry run']"));
        awaitText("Plan for vip");
        WebElement adds = browser.driver().findElement(By.xpath("//div[@class='tile'][span[@class='l' and text()='adds']]/span[@class='n']"));
        assertThat(adds.getText()).isEqualTo("2");
        shot("audiences-dry-run", Browser.DESKTOP);
        assertThat(new EmulatorHttp(emulator, SG_KEY).get("/v3/marketing/lists").path("result")).isEmpty(); // nothing was changed
    }

    @Test
    @Order(7)
    void syncNowMirrorsSendGridAndTheRunAndItsTablesAreShown() {
        go("/sources");
        awaitText("Event Webhook");
        assertThat(text(By.cssSelector("#page table"))).contains("/v1/webhooks/sendgrid").contains("not signed"); // the default source
        click(By.xpath("//button[normalize-space()='Sync now']"));
        awaitText("started");
        awaitUntil(() -> adminGet("/v1/admin/sources/SendGrid/runs").path("runs").path(0).path("finished_at").isTextual(), "the run finished");
        click(By.xpath("//button[normalize-space()='Runs']"));
        awaitText("Runs of SendGrid");
        assertThat(text(By.id("main"))).containsPattern("succeeded|zero_data_synced").contains("lists");

        go("/warehouse");
        assertThat(text(By.cssSelector("#page table"))).contains("sendgrid.lists").contains("sendgrid.delivered");
    }

    @Test
    @Order(8)
    void aWriteKeyForBrowsersIsCreatedWithItsOriginsShownOnceAndItsOriginsChanged() {
        go("/write-keys");
        browser.driver().findElement(By.name("name")).sendKeys("website");
        browser.driver().findElement(By.name("allowed_origins")).sendKeys("https://shop.example.com");
        click(By.xpath("//button[normalize-space()='Create write key']"));
        awaitText("shown this once");
        String key = text(By.cssSelector("code.new-key"));
        JsonNode created = adminKey("website");
        assertThat(created.path("allowed_origins").toString()).isEqualTo("[\"https://shop.example.com\"]");
        assertThat(text(By.cssSelector("#page table"))).contains("website").doesNotContain(key.substring(8)); // listed masked only

        WebElement origins = browser.driver().findElement(By.name("origins-" + created.path("id").asText()));
        setValue(origins, "https://shop.example.com, https://*.example.org");
        origins.submit();
        awaitText("Allowed origins of website saved");
        assertThat(adminKey("website").path("allowed_origins").toString())
                .isEqualTo("[\"https://shop.example.com\",\"https://*.example.org\"]");
    }

    /** The elements whose content spills out of their own box (what widens the page), for a failure message. */
    private Object tooWide() {
        return ((JavascriptExecutor) browser.driver()).executeScript("""
                return [...document.querySelectorAll('body *')]
                  .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && getComputedStyle(e).overflowX === 'visible')
                  .slice(-6).map(e => e.tagName + '.' + e.className + ' ' + e.clientWidth + '<' + e.scrollWidth);""");
    }

    private JsonNode adminKey(String name) {
        for (JsonNode k : adminGet("/v1/admin/write-keys").path("write_keys")) {
            if (k.path("name").asText().equals(name)) {
                return k;
            }
        }
        throw new AssertionError("no write key named " + name);
    }

    @Test
    @Order(9)
    void everyPageAtBothWidthsWithoutAContentSecurityPolicyViolation() {
        for (Dimension size : List.of(Browser.DESKTOP, Browser.PHONE)) {
            browser.width(size); // each page is loaded at the width it is shown at
            for (String page : ConsolePages.PAGES) {
                go("/" + page);
                if (page.equals("overview")) {
                    browser.await(d -> !d.findElements(By.cssSelector(".uplot canvas")).isEmpty());
                }
                assertThat(browser.driver().findElements(By.id("page-error")).get(0).isDisplayed()).as(page + ": " + pageError()).isFalse();
                Number overflow = (Number) ((JavascriptExecutor) browser.driver()).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(overflow.intValue()).as(page + " scrolls sideways by " + overflow + " px at " + size.width + " px; too wide: " + tooWide())
                        .isLessThanOrEqualTo(0);
                shot(page, size);
            }
        }
        browser.width(Browser.DESKTOP);
        assertThat(browser.consoleLog()).doesNotContain("Content Security Policy").doesNotContain("Content-Security-Policy");
    }

    @Test
    @Order(10)
    void afterSigningOutThePagesAndTheApiRefuse() {
        go("/overview");
        click(By.id("sign-out"));
        browser.await(d -> d.findElements(By.name("token")).size() == 1);
        browser.open(hub.baseUrl() + "/events");
        browser.await(d -> d.getCurrentUrl().endsWith("/?next=%2Fevents"));
        assertThat(browser.driver().findElements(By.name("token"))).hasSize(1);
        Object status = ((JavascriptExecutor) browser.driver()).executeAsyncScript(
                "const done = arguments[0]; fetch('/v1/admin/integrations').then(r => done(r.status));");
        assertThat(((Number) status).intValue()).isEqualTo(401);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void go(String path) {
        browser.open(hub.baseUrl() + path);
        awaitPage();
    }

    /** The page's script has rendered something (or said why not). */
    private void awaitPage() {
        browser.await(d -> !d.findElements(By.cssSelector("#page > *")).isEmpty() || d.findElement(By.id("page-error")).isDisplayed());
    }

    private String pageError() {
        return text(By.id("page-error"));
    }

    private List<WebElement> rows() {
        return browser.driver().findElements(By.cssSelector("#page table tbody tr"));
    }

    private void click(By by) {
        browser.await(d -> {
            WebElement e = d.findElement(by);
            return e.isDisplayed() && e.isEnabled() ? e : null;
        }).click();
    }

    private String text(By by) {
        return browser.driver().findElement(by).getText();
    }

    private void awaitText(String s) {
        browser.await(d -> d.findElement(By.tagName("body")).getText().contains(s));
    }

    /** Replaces a field's value as typing would (select all, then type). */
    private void setValue(WebElement e, String value) {
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].value = '';", e);
        e.sendKeys(value);
    }

    private void shot(String name, Dimension size) {
        if (!browser.driver().manage().window().getSize().equals(size)) {
            browser.width(size);
        }
        browser.screenshot(SHOTS.resolve(name + "-" + size.width + ".png"));
    }

    private JsonNode adminGet(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.baseUrl() + path))
                    .header("Authorization", "Bearer " + hub.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
            return M.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitUntil(BooleanSupplier condition, String what) {
        browser.await(d -> condition.getAsBoolean() ? true : null);
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
