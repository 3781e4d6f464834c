package com.airtableintegrity.console;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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
 * operator cancels a real running run from its page and sees Cancelled within 5 s; a viewer opens a run compared
 * with its baseline and its New, then Resolved, tab, and a schedule's chart. Screenshots go to
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

    @Test
    @Order(4)
    void aViewerOpensARunsNewTabAndSeesExactlyTheNewIssuesThenItsResolvedTab() throws Exception {
        EmulatorRuns runs = new EmulatorRuns(EMULATOR);
        Instant started = Instant.now().minusSeconds(3600);
        runs.put("diffRunB", ConsoleDocs.comparedRun(started, "baselineB", 2, 3, 2, 0));
        runs.putIssues("diffRunB", ConsoleDocs.issuesInStates(started,
                List.of("new", "persisting", "persisting", "new", "persisting"),
                List.of(Duration.ZERO, Duration.ofHours(3), Duration.ofDays(2), Duration.ZERO,
                        Duration.ofMinutes(12))));
        runs.putUnder("diffRunB", "resolved", ConsoleDocs.resolved(started, 2));
        browser = signedIn(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);
        browser.get(url("/runs/diffRunB"));
        assertThat(issueRows("data-seq")).containsExactly("0", "1", "2", "3", "4");

        HeadlessChromium.clickLive(browser, By.id("tab-new"));

        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().endsWith("/runs/diffRunB?tab=new"));
        assertThat(browser.findElement(By.id("tab-new")).getAttribute("aria-current")).isEqualTo("page");
        assertThat(issueRows("data-seq")).containsExactly("0", "3");
        assertThat(browser.findElements(By.cssSelector("#issues-body td.issue-state")))
                .extracting(WebElement::getText).containsExactly("New", "New");
        scrollTo(By.id("issues-title"));
        HeadlessChromium.screenshot(browser, "console-run-new-tab");

        HeadlessChromium.clickLive(browser, By.id("tab-resolved"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> browser.getCurrentUrl().endsWith("/runs/diffRunB?tab=resolved"));
        assertThat(issueRows("data-seq")).containsExactly("0", "1");
        assertThat(browser.findElements(By.cssSelector("#issues-body td.open-for")))
                .extracting(WebElement::getText).containsExactly("1 day", "1 day");
        scrollTo(By.id("issues-title"));
        HeadlessChromium.screenshot(browser, "console-run-resolved-tab");
    }

    @Test
    @Order(5)
    void aViewerSeesASchedulesChartDrawnWithADotPerRunAndSeries() throws Exception {
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        Instant first = Instant.now().minus(Duration.ofDays(3));
        long[][] counts = {{0, 0, 0, 12}, {3, 12, 0, 0}, {1, 10, 5, 0}, {6, 9, 2, 0}};
        for (int i = 0; i < counts.length; i++) {
            Map<String, Object> run = ConsoleDocs.comparedRun(first.plus(Duration.ofDays(i)), i == 0 ? null
                    : "nightly" + (i - 1), counts[i][0], counts[i][1], counts[i][2], counts[i][3]);
            run.put("schedule_id", "default");
            docs.put("nightly" + i, run);
        }
        new EmulatorRuns(EMULATOR).putAll(docs);
        browser = signedIn(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        browser.get(url("/schedules/default"));

        WebElement chart = browser.findElement(By.id("issues-chart"));
        assertThat(chart.getAttribute("role")).isEqualTo("img");
        assertThat(chart.getRect().getWidth()).isGreaterThan(300);
        for (String series : List.of("series-found", "series-new", "series-resolved")) {
            assertThat(browser.findElements(By.cssSelector("#issues-chart circle." + series))).hasSize(4);
        }
        scrollTo(By.id("schedule-chart"));
        HeadlessChromium.screenshot(browser, "console-schedule");
    }

    private void scrollTo(By locator) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", browser.findElement(locator));
    }

    /** An attribute of each row of the run page's issue list, in page order. */
    private List<String> issueRows(String attribute) {
        return browser.findElements(By.cssSelector("#issues-body tr.issue")).stream()
                .map(row -> row.getAttribute(attribute)).toList();
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
        return HeadlessChromium.signedIn(url(""), user, password);
    }

    /** The elements matching {@code css} in the runs list's row of that run. */
    private static By inRow(String runId, String css) {
        return By.cssSelector("tr.run[data-run-id='" + runId + "'] " + css);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port") + path;
    }
}
