package com.airtableintegrity.console;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.boot.TestCredentials;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.HeadlessChromium;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;

/**
 * The console in a real browser (headless Chromium through ChromeDriver), against the runner with users and API
 * keys, the Firestore emulator and the Airtable double. A viewer signs in and sees a run the sweep timed out as
 * Timeout and a real {@code warning} run with its exact issue count, and no Cancel button on a running run; an
 * operator cancels a real running run from its page and sees Cancelled within 5 s. Screenshots go to
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserConsoleTest extends BootApiTest {
    /** 300 customers; every 30th has no Email: 10 issues of required:Email, and nothing else. */
    static final int CUSTOMERS = 300;
    static final int MISSING_EMAILS = 10;

    static String warningRunId;
    WebDriver browser;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @BeforeAll
    static void aBaseWithPlantedDefects() throws Exception {
        EMULATOR.wipe();
        AIRTABLE.clearFaults();
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', CUSTOMERS, i -> i % 30 == 0
                ? fields("Name", "Customer " + i, "Status", "Active")
                : fields("Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 20, i -> fields(
                "Customer", List.of(Records.id('C', i)))));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void aViewerSeesATimedOutRunAsTimeoutAndAWarningRunWithItsIssueCount() throws Exception {
        EmulatorRuns runs = new EmulatorRuns(EMULATOR);
        warningRunId = aFinishedManualRun(runs);
        assertThat(runs.read(warningRunId)).containsEntry("status", "warning")
                .containsEntry("issues_found", (long) MISSING_EMAILS).containsEntry("records_scanned", 320L);
        Map<String, Object> swept = ConsoleDocs.run("timeout", ConsoleDocs.BASE_A, Instant.now().minusSeconds(3600));
        swept.put("swept_by", "another-runner");
        swept.put("error_message", "No heartbeat for 120 s: marked by the hung-run sweep");
        runs.put("sweptRun01", swept);

        browser = signedIn(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        assertThat(HeadlessChromium.liveText(browser, inRow("sweptRun01", ".badge"))).isEqualTo("Timeout");
        assertThat(HeadlessChromium.liveText(browser, inRow(warningRunId, ".badge"))).isEqualTo("Warning");
        assertThat(HeadlessChromium.liveText(browser, inRow(warningRunId, ".issues-found")))
                .isEqualTo(String.valueOf(MISSING_EMAILS));
        assertThat(HeadlessChromium.liveText(browser, inRow(warningRunId, ".records-scanned"))).isEqualTo("320");
        assertThat(HeadlessChromium.<String>live(browser, inRow(warningRunId, "time"),
                time -> time.getAttribute("title")))
                .endsWith("UTC");
        assertThat(browser.findElement(By.id("signed-in-as")).getText()).isEqualTo("vera (viewer)");
        assertThat(browser.getPageSource()).doesNotContain(TestSettings.TOKEN);
        HeadlessChromium.screenshot(browser, "console-runs");

        HeadlessChromium.clickLive(browser, inRow(warningRunId, ".run-link"));
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.id("issues-by-rule")).size() == 1);
        assertThat(browser.findElement(By.id("run-issues-found")).getText()).isEqualTo(String.valueOf(MISSING_EMAILS));
        assertThat(browser.findElements(By.cssSelector("#issues-body tr.issue"))).hasSize(MISSING_EMAILS);
        HeadlessChromium.screenshot(browser, "console-run-warning");
    }

    @Test
    @Order(2)
    void aViewerSeesNoCancelButtonAndTheApiRefusesTheViewer() throws Exception {
        new EmulatorRuns(EMULATOR).put("liveElsewhere", ConsoleDocs.run("running", ConsoleDocs.BASE_A,
                Instant.now().minusSeconds(5)));
        browser = signedIn(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        browser.get(url("/runs/liveElsewhere"));

        assertThat(HeadlessChromium.liveText(browser, By.cssSelector("#run-summary .badge"))).isEqualTo("Running");
        assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
        ApiClient.Answer refused = api.send(api.request("/api/runs/liveElsewhere/cancel")
                .header("Authorization", "Bearer " + TestCredentials.VIEWER_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new EmulatorRuns(EMULATOR).read("liveElsewhere")).containsEntry("cancel_requested", false);
    }

    @Test
    @Order(3)
    void anOperatorCancelsARunningRunAndSeesItCancelledWithinFiveSeconds() throws Exception {
        // page 2 of Customers never answers: the run stays running until cancelled, however long the browser takes
        // to start on a loaded box (a run slowed to ~6 s ended 'Warning' before the page opened, 3 of 3 runs beside
        // another suite and a CPU hog)
        AIRTABLE.fault(Fault.neverAnswer().onBase(TestSettings.BASE).onTable("Customers").onPage(2).always());
        try {
            EmulatorRuns runs = new EmulatorRuns(EMULATOR);
            assertThat(startRun().status()).isEqualTo(202);
            String runId = await().atMost(Duration.ofSeconds(30)).until(() -> runs.all().stream()
                    .filter(r -> "running".equals(r.get("status")) && TestSettings.BASE.equals(r.get("base_id")))
                    .map(r -> (String) r.get("id")).findFirst().orElse(null), Objects::nonNull);
            browser = signedIn(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);
            browser.get(url("/runs/" + runId));
            assertThat(HeadlessChromium.liveText(browser, By.cssSelector("#run-summary .badge"))).isEqualTo("Running");

            HeadlessChromium.clickLive(browser, By.id("cancel-run"));
            long clicked = System.nanoTime();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> HeadlessChromium
                    .liveText(browser, By.cssSelector("#run-summary .badge")).equals("Cancelled"));
            long millis = (System.nanoTime() - clicked) / 1_000_000;
            assertThat(millis).isLessThan(5_000);
            assertThat(browser.findElements(By.id("cancel-run"))).isEmpty();
            assertThat(runs.read(runId)).containsEntry("status", "cancelled");
            HeadlessChromium.screenshot(browser, "console-run-cancelled");
        } finally {
            AIRTABLE.clearFaults();
        }
    }

    private String aFinishedManualRun(EmulatorRuns runs) throws Exception {
        assertThat(startRun().status()).isEqualTo(202);
        return await().atMost(Duration.ofSeconds(60)).until(() -> runs.all().stream()
                .filter(r -> TestSettings.BASE.equals(r.get("base_id")) && !"running".equals(r.get("status")))
                .map(r -> (String) r.get("id")).findFirst().orElse(null), Objects::nonNull);
    }

    private ApiClient.Answer startRun() throws Exception {
        return api.send(api.request("/api/runs").header("Authorization", "Bearer " + TestCredentials.OPERATOR_KEY)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private WebDriver signedIn(String user, String password) {
        WebDriver driver = HeadlessChromium.start();
        driver.get(url("/"));
        assertThat(driver.getCurrentUrl()).endsWith("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> driver.findElements(By.id("runs")).size() == 1);
        } catch (RuntimeException e) {
            throw new AssertionError("Not signed in: at " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
        }
        return driver;
    }

    /** The elements matching {@code css} in the runs list's row of that run. */
    private static By inRow(String runId, String css) {
        return By.cssSelector("tr.run[data-run-id='" + runId + "'] " + css);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port") + path;
    }
}
