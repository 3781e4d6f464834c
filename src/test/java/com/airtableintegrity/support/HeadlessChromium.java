package com.airtableintegrity.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the console's tests: Debian's Chromium, headless, driven by Debian's ChromeDriver (both found
 * at /usr/bin, installed by .ci/run; Selenium Manager's downloads are never used). Screenshots go to
 * {@code target/screenshots/}.
 */
public final class HeadlessChromium {
    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    /** A new headless browser session with a 1280x900 window; quit it when done. */
    public static WebDriver start() {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            throw new IllegalStateException("The browser test needs Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().withTimeout(Duration.ofSeconds(60)).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /**
     * What {@code read} gives for the element the locator finds on a live page. console.js replaces each live
     * section whole when its polled HTML changes (its first poll, 2.5 s after load, replaces them all; a running
     * run's summary changes on every poll), so an element found a moment ago can be gone when it is read: then the
     * element now bearing the locator is read instead, within 5 s.
     */
    public static <T> T live(WebDriver driver, By locator, Function<WebElement, T> read) {
        return onLiveElement(() -> read.apply(driver.findElement(locator)));
    }

    /** The visible text of the element the locator finds on a live page (see live). */
    public static String liveText(WebDriver driver, By locator) {
        return live(driver, locator, WebElement::getText);
    }

    /** Clicks the element the locator finds on a live page (see live). */
    public static void clickLive(WebDriver driver, By locator) {
        live(driver, locator, element -> {
            element.click();
            return Boolean.TRUE;
        });
    }

    private static <T> T onLiveElement(Callable<T> action) {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).ignoreException(StaleElementReferenceException.class)
                .until(action, Objects::nonNull);
    }

    /** Saves what the browser shows as {@code target/screenshots/<name>.png}. */
    /** A new browser signed in through the console's login form at {@code baseUrl}, on the runs list. */
    public static WebDriver signedIn(String baseUrl, String user, String password) {
        WebDriver driver = start();
        driver.get(baseUrl + "/");
        if (!driver.getCurrentUrl().endsWith("/login")) {
            driver.quit();
            throw new AssertionError("The console did not ask to sign in: at " + driver.getCurrentUrl());
        }
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> driver.findElements(By.id("runs")).size() == 1);
        } catch (RuntimeException e) {
            throw new AssertionError("Not signed in: at " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
        }
        return driver;
    }

    public static Path screenshot(WebDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }
}
