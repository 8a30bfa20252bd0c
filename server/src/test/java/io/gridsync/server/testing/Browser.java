package io.gridsync.server.testing;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through its own
 * {@code chromedriver}, never a downloaded one (Selenium Manager is not used, so tests run offline).
 *
 * <p>Without the packages a test is skipped with the command that installs them, unless
 * {@code GRIDSYNC_BROWSER_REQUIRED=1} (set by {@code .ci/run}, which installs them), where a
 * missing browser fails the run instead of hiding the tests.
 */
public final class Browser implements AutoCloseable {

    /** Desktop and phone widths every console page must be usable at. */
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);

    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Starts headless Chromium at desktop width; skips (or fails under CI) when it is not installed. */
    public static Browser start() {
        String browser = firstExisting(BROWSERS);
        String chromedriver = firstExisting(DRIVERS);
        if (browser == null || chromedriver == null) {
            String why = "browser tests need Debian's chromium and chromium-driver: apt-get install chromium chromium-driver";
            if ("1".equals(System.getenv("GRIDSYNC_BROWSER_REQUIRED"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + DESKTOP.width + "," + DESKTOP.height, "--lang=en-US", "--no-first-run",
                "--disable-extensions", "--disable-background-networking");
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // for consoleLog()
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().window().setSize(DESKTOP);
        return new Browser(driver);
    }

    public WebDriver driver() {
        return driver;
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public Browser width(Dimension size) {
        driver.manage().window().setSize(size);
        return this;
    }

    /** Waits up to 20 s for {@code condition} (a Selenium ExpectedCondition or lambda) to hold. */
    public <T> T await(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(condition);
    }

    /** Writes a PNG of the current page to {@code file} (directories created). */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser's console messages so far, for a failing test's message. */
    public String consoleLog() {
        try {
            return driver.manage().logs().get("browser").getAll().toString();
        } catch (RuntimeException e) {
            return "(browser log unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static String firstExisting(List<String> paths) {
        return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }
}
