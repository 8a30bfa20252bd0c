package io.gridsync.server.browser;

import io.gridsync.server.Hub;
import io.gridsync.server.HubConfig;
import io.gridsync.server.testing.Browser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The browser the console and analytics.js tests use starts here and reads a page from a running hub. */
class BrowserSmokeTest {

    @TempDir
    Path dir;

    @Test
    void headlessChromiumReadsTheHubsHealth() {
        try (Hub hub = Hub.start(HubConfig.defaults(dir.resolve("data"), 0)); Browser browser = Browser.start()) {
            browser.open(hub.baseUrl() + "/healthz");
            String text = browser.driver().findElement(By.tagName("body")).getText();
            assertThat(text).contains("\"journal\"");
        }
    }
}
