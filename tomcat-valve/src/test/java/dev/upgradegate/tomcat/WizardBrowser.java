package dev.upgradegate.tomcat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven by Selenium through the install wizard of one Tomcat: what the administrator
 * sees, read as they would read it, and saved as a numbered PNG per step in a folder of its own.
 */
final class WizardBrowser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int WIDTH = 1280;

    final WebDriver driver;
    private final String root;
    private final String token;
    private final Path screenshots;
    private int shot;

    /**
     * @param root the Tomcat's {@code http://host:port}
     * @param profile a folder for Chromium's profile, deleted with the test's
     * @param screenshots emptied of an earlier run's PNGs
     */
    WizardBrowser(String root, String token, Path profile, Path screenshots) throws IOException {
        this.root = root;
        this.token = token;
        this.screenshots = screenshots;
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path png : old.collect(Collectors.toList())) {
                Files.delete(png);
            }
        }
        // Debian's own chromium and chromedriver: Selenium Manager must never go looking for a download.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=" + WIDTH + ",900", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
    }

    /** Opens a path of the Tomcat, such as {@code /shop/install/}. */
    void open(String path) {
        driver.get(root + path);
    }

    void signIn(String app) {
        open(app + "/install/");
        driver.findElement(By.id("token")).sendKeys(token);
        driver.findElement(By.xpath("//button[.='Sign in']")).click();
        waitFor(d -> "Overview".equals(heading()));
    }

    /** The overview of {@code app}, signing in first unless this browser already is. */
    void overview(String app) {
        open(app + "/install/overview");
        if (!driver.findElements(By.id("token")).isEmpty()) {
            driver.findElement(By.id("token")).sendKeys(token);
            driver.findElement(By.xpath("//button[.='Sign in']")).click();
        }
        expectHeading("Overview");
    }

    void expectHeading(String expected) {
        waitFor(d -> expected.equals(heading()));
    }

    String heading() {
        List<WebElement> h1 = driver.findElements(By.tagName("h1"));
        return h1.isEmpty() ? "" : h1.get(0).getText();
    }

    /** The page's text; read again if the page replaced itself while it was being read. */
    String text() {
        for (int attempt = 1; ; attempt++) {
            try {
                return driver.findElement(By.tagName("body")).getText();
            } catch (WebDriverException replaced) {
                if (attempt == 5) {
                    throw replaced;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw replaced;
                }
            }
        }
    }

    void click(String linkText) {
        driver.findElement(By.linkText(linkText)).click();
    }

    void press(String buttonText) {
        driver.findElement(By.xpath("//button[.='" + buttonText + "']")).click();
    }

    /** Confirms the administrator's own backup with {@code button}, until the page says so. */
    void confirmOwnBackup(String button) {
        driver.findElement(By.name("own")).click();
        press(button);
        waitFor(d -> text().contains("You have confirmed that you have your own, current backup."));
    }

    /** Follows the result page's link to the upgraded webapp until its page shows {@code version}. */
    void goToUpgraded(String app, String version) {
        click("Go to " + app);
        // The success page can beat the gate's own state by a refresh (refresh.seconds): a user who lands on
        // the maintenance page then reloads, and so does the test.
        waitFor(d -> {
            if ("Down for Maintenance".equals(heading())) {
                d.navigate().refresh();
            }
            return heading().contains(version);
        });
    }

    void waitFor(Function<WebDriver, Boolean> condition) {
        // Pages replace themselves (redirects, refreshes, the progress script): an element may go stale mid-look,
        // which Chromium reports either as a stale element or as a node that "does not belong to the document".
        new WebDriverWait(driver, WAIT, Duration.ofMillis(100)).ignoring(WebDriverException.class)
                .until(condition::apply);
    }

    void screenshot(String name) throws IOException {
        screenshot(name, WIDTH);
    }

    /** The whole page, not just the window, at {@code width} CSS pixels: Chromium's own full-page capture. */
    @SuppressWarnings("unchecked")
    void screenshot(String name, int width) throws IOException {
        ChromeDriver chrome = (ChromeDriver) driver;
        Map<String, Object> metrics = chrome.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
        long height = Math.round(((Number) content.get("height")).doubleValue());
        Map<String, Object> png = chrome.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.max(height, 300), "scale", 1)));
        Files.write(next(name), Base64.getDecoder().decode((String) png.get("data")));
    }

    /** Only {@code element}, such as one card of a page. */
    void screenshot(String name, WebElement element) throws IOException {
        Files.write(next(name), element.getScreenshotAs(OutputType.BYTES));
    }

    private Path next(String name) {
        return screenshots.resolve(String.format("%02d-%s.png", ++shot, name));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
