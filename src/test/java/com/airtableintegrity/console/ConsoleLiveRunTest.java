package com.airtableintegrity.console;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.boot.ConsoleSession;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;

/**
 * A real run, started and cancelled from the console's forms: Run now on the configured schedule starts a run
 * (Airtable answering each page in 1.5 s), the run's page offers Cancel, and after the Cancel form the run's live
 * fragment (which the page polls every 2.5 s) shows Cancelled within 5 seconds.
 */
class ConsoleLiveRunTest extends BootApiTest {

    @BeforeAll
    static void aSlowBase() {
        EMULATOR.wipe();
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 2000, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 20, i -> fields(
                "Customer", List.of(Records.id('C', i)))));
        AIRTABLE.fault(Fault.slow(Duration.ofMillis(1500)).onBase(TestSettings.BASE).always());
    }

    @AfterAll
    static void fastAgain() {
        AIRTABLE.clearFaults();
    }

    @Test
    void runNowThenCancelShowsCancelledWithinFiveSeconds() throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(ApiClient.TIMEOUT).build();
        EmulatorRuns runs = new EmulatorRuns(EMULATOR);

        HttpResponse<String> started = browser.send(form(browser, "/schedules/default/run"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(302);
        String flash = browser.send(api.request("/").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(flash).contains("<p id=\"flash\" class=\"flash flash-done\" role=\"status\">Schedule default: "
                + "manual run requested</p>");

        AtomicReference<Map<String, Object>> live = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            live.set(runs.all().stream().filter(r -> "running".equals(r.get("status"))).findFirst().orElse(null));
            return live.get() != null;
        });
        String runId = (String) live.get().get("id");
        String page = api.get("/runs/" + runId).body();
        assertThat(page).contains("<span class=\"badge status-running\">Running</span>").contains("id=\"cancel-run\"");
        assertThat(ConsoleDocs.row(api.get("/").body(), runId)).contains("<td class=\"trigger\">manual</td>");

        long cancelled = System.nanoTime();
        assertThat(browser.send(form(browser, "/runs/" + runId + "/cancel"), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(302);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250)).until(() ->
                api.get("/fragments/runs/" + runId).body()
                        .contains("<span class=\"badge status-cancelled\">Cancelled</span>"));
        long millis = (System.nanoTime() - cancelled) / 1_000_000;
        assertThat(millis).isLessThan(5_000);
        assertThat(api.get("/fragments/runs/" + runId).body()).contains("data-terminal=\"true\"")
                .doesNotContain("id=\"cancel-run\"");
        assertThat(runs.read(runId)).containsEntry("status", "cancelled").containsEntry("cancel_requested", true);
    }

    /** A form post as the browser sends it: with the CSRF token of the page the form is on. */
    private HttpRequest form(HttpClient browser, String path) throws Exception {
        String csrf = ConsoleSession.csrfOf(browser.send(api.request("/").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return api.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf)).build();
    }
}
