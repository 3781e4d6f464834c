package com.airtableintegrity.console;

import static com.airtableintegrity.console.ConsoleDocs.BASE_A;
import static com.airtableintegrity.console.ConsoleDocs.BASE_B;
import static com.airtableintegrity.console.ConsoleDocs.href;
import static com.airtableintegrity.console.ConsoleDocs.row;
import static com.airtableintegrity.console.ConsoleDocs.rowIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;

/**
 * The runs list at {@code /} and a schedule's page at {@code /schedules/{id}} over real HTTP, against the runner with
 * the Firestore emulator: run documents are written directly (as the runner, another process or a dashboard's writer
 * would), and the pages show them.
 */
class ConsolePageTest extends BootApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(2, ChronoUnit.HOURS);

    @Autowired
    HungRunSweeper sweeper;
    EmulatorRuns runs;

    @BeforeEach
    void emptyCollection() {
        EMULATOR.wipe();
        runs = new EmulatorRuns(EMULATOR);
    }

    @Test
    void theListShowsATimeoutRunAsTimeoutAndAWarningRunWithItsIssueCounts() throws Exception {
        Map<String, Object> timeout = ConsoleDocs.run("timeout", BASE_A, T0);
        timeout.put("error_message", "Run exceeded maximum duration of 30 minutes and was marked as timeout");
        timeout.put("duration_ms", 1_800_000L);
        Map<String, Object> warning = ConsoleDocs.run("warning", BASE_B, T0.plusSeconds(60));
        warning.put("records_scanned", 12_345L);
        warning.put("issues_found", 1_234_567L);
        warning.put("issues_stored", 1000L);
        warning.put("schedule_id", "nightly");
        runs.put("runTimeout01", timeout);
        runs.put("runWarning01", warning);

        ApiClient.Answer page = api.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html;charset=UTF-8");
        assertThat(rowIds(page.body())).containsExactly("runWarning01", "runTimeout01");
        String timeoutRow = row(page.body(), "runTimeout01");
        assertThat(timeoutRow).contains("<span class=\"badge status-timeout\">Timeout</span>")
                .contains("<td class=\"base\">" + BASE_A + "</td>")
                .contains("<td class=\"duration\">30 min 00 s</td>")
                .contains("<time datetime=\"" + T0 + "\" title=\"" + utc(T0) + "\">" + utc(T0) + "</time>");
        String warningRow = row(page.body(), "runWarning01");
        assertThat(warningRow).contains("<span class=\"badge status-warning\">Warning</span>")
                .contains("<td class=\"schedule\"><a class=\"schedule-link\"")
                .contains("href=\"/schedules/nightly\">nightly</a></td>")
                .contains("<td class=\"trigger\">schedule</td>")
                .contains("<td class=\"num records-scanned\">12,345</td>")
                .contains("<td class=\"num issues-found\">1,234,567</td>");
        assertThat(page.body()).doesNotContain(TestSettings.TOKEN);
    }

    @Test
    void aRunComparedWithABaselineShowsItsNewAndResolvedBesideItsIssueCount() throws Exception {
        runs.put("compared01", ConsoleDocs.comparedRun(T0.plusSeconds(120), "firstRun01", 2, 4, 7, 0));
        runs.put("firstRun01", ConsoleDocs.comparedRun(T0.plusSeconds(60), null, 0, 0, 0, 11));
        Map<String, Object> old = ConsoleDocs.run("warning", BASE_A, T0);
        old.put("issues_found", 9L);
        runs.put("oldRun01", old);

        String page = api.get("/").body();

        assertThat(row(page, "compared01")).contains("<td class=\"num issues-found\">6<span class=\"issues-diff\" "
                + "title=\"new / resolved since run firstRun01\"> <span class=\"issues-new\">+2</span> / "
                + "<span class=\"issues-resolved\">\u22127</span></span></td>");
        assertThat(row(page, "firstRun01")).contains("<td class=\"num issues-found\">11</td>");
        assertThat(row(page, "oldRun01")).contains("<td class=\"num issues-found\">9</td>");
    }

    @Test
    void aSchedulesPageChartsItsRunsOldestFirstWithOnePointPerRun() throws Exception {
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("sched1", ConsoleDocs.comparedRun(T0, null, 0, 0, 0, 5));
        docs.put("sched2", ConsoleDocs.comparedRun(T0.plusSeconds(60), "sched1", 4, 4, 1, 0));
        docs.put("sched3", ConsoleDocs.comparedRun(T0.plusSeconds(120), "sched2", 1, 5, 3, 0));
        docs.values().forEach(doc -> doc.put("schedule_id", "default"));
        Map<String, Object> elsewhere = ConsoleDocs.comparedRun(T0.plusSeconds(90), null, 0, 0, 0, 100);
        elsewhere.put("schedule_id", "weekly");
        docs.put("otherSched1", elsewhere);
        runs.putAll(docs);

        ApiClient.Answer answer = api.get("/schedules/default");

        assertThat(answer.status()).isEqualTo(200);
        String page = answer.body();
        assertThat(page).contains("<h1>Schedule <span id=\"schedule-id\">default</span></h1>")
                .contains("(application.yaml, read-only)")
                .contains("role=\"img\"")
                .contains("aria-label=\"Issues found, new and resolved in the last 3 runs of schedule default, "
                        + "oldest on the left; the axis goes from 0 to 10\"");
        assertThat(rowIds(page)).containsExactly("sched3", "sched2", "sched1");
        assertThat(points(page, "series-found")).containsExactly("64.0,112.0", "384.0,59.2", "704.0,94.4");
        assertThat(points(page, "series-new")).containsExactly("64.0,200.0", "384.0,129.6", "704.0,182.4");
        assertThat(points(page, "series-resolved")).containsExactly("64.0,200.0", "384.0,182.4", "704.0,147.2");
        assertThat(page.split("class=\"dot series-found\"", -1)).hasSize(4);
    }

    @Test
    void anUnknownScheduleIsA404LikeAnUnknownRun() throws Exception {
        ApiClient.Answer answer = api.get("/schedules/nosuch");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(JSON.readTree(answer.body()).get("message").asText()).isEqualTo("No schedule with id 'nosuch'");
    }

    @Test
    void theStatusAndBaseFiltersNarrowTheListAndTheApi() throws Exception {
        runs.put("successA", ConsoleDocs.run("success", BASE_A, T0));
        runs.put("timeoutA", ConsoleDocs.run("timeout", BASE_A, T0.plusSeconds(1)));
        runs.put("timeoutB", ConsoleDocs.run("timeout", BASE_B, T0.plusSeconds(2)));

        assertThat(rowIds(api.get("/?status=timeout").body())).containsExactly("timeoutB", "timeoutA");
        assertThat(rowIds(api.get("/?base=" + BASE_A).body())).containsExactly("timeoutA", "successA");
        assertThat(rowIds(api.get("/?status=timeout&base=" + BASE_A).body())).containsExactly("timeoutA");
        assertThat(rowIds(api.get("/?status=&base=").body())).containsExactly("timeoutB", "timeoutA", "successA");
        assertThat(api.get("/?status=cancelled").body()).contains("No runs<span> match these filters</span>.");
        assertThat(ids(json("/api/runs?status=timeout&base=" + BASE_B))).containsExactly("timeoutB");
        assertThat(ids(json("/api/runs?base=" + BASE_A))).containsExactly("timeoutA", "successA");
    }

    @Test
    void theOlderLinkWalksEveryRunOnceNewestFirstEvenWhenRunsStartedTogether() throws Exception {
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (int i = 0; i < 120; i++) {
            // pairs of runs share their start, so the order falls back on the run id
            docs.put(String.format("run%03d", i), ConsoleDocs.run("success", BASE_A, T0.plusSeconds(i / 2)));
        }
        runs.putAll(docs);
        List<String> expected = docs.keySet().stream().sorted(Comparator.comparing((String id) -> id).reversed())
                .toList();

        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String link = "/";
        String last = null;
        while (link != null) {
            last = api.get(link).body();
            pageSizes.add(rowIds(last).size());
            seen.addAll(rowIds(last));
            link = href(last, "older-runs");
        }

        assertThat(pageSizes).containsExactly(50, 50, 20);
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(href(last, "newest-runs")).isEqualTo("/");

        List<String> overApi = new ArrayList<>();
        String next = null;
        do {
            JsonNode answer = json("/api/runs?limit=7" + (next == null ? "" : "&before=" + next));
            overApi.addAll(ids(answer));
            next = answer.get("next").isNull() ? null : answer.get("next").asText();
        } while (next != null);
        assertThat(overApi).containsExactlyElementsOf(expected);
    }

    @Test
    void theSweepShowsWhenItLastSweptAndWhatItMarked() throws Exception {
        Map<String, Object> hung = ConsoleDocs.run("running", BASE_A, Instant.now().minus(2, ChronoUnit.HOURS));
        runs.put("hungRun01", hung);

        HungRunSweeper.SweepReport before = sweeper.lastSweep().orElse(null);
        sweeper.sweep();
        HungRunSweeper.SweepReport report = sweeper.lastSweep().orElseThrow();
        String page = api.get("/").body();

        assertThat(report).isNotSameAs(before);
        String rule = (String) runs.read("hungRun01").get("sweep_rule");
        assertThat(report.marked()).containsEntry("hungRun01", rule);
        assertThat(ConsoleDocs.section(page, "<section id=\"sweep\"", "</section>"))
                .contains("<time datetime=\"" + report.at().truncatedTo(ChronoUnit.MILLIS) + "\"")
                .contains("<li data-run-id=\"hungRun01\">")
                .contains("<code>" + rule + "</code>");
        assertThat(row(page, "hungRun01")).contains("<span class=\"badge status-timeout\">Timeout</span>");
    }

    @Test
    void theConfiguredScheduleIsListedReadOnlyWithRunNow() throws Exception {
        String page = api.get("/").body();

        String schedule = ConsoleDocs.section(page, "<tr class=\"schedule\" data-schedule-id=\"default\">", "</tr>");
        assertThat(schedule)
                .contains("<th scope=\"row\"><a class=\"schedule-link\" href=\"/schedules/default\">default</a></th>")
                .contains("(application.yaml, read-only)")
                .contains("<form method=\"post\" class=\"inline\" action=\"/schedules/default/run\">")
                .doesNotContain("schedule-disable").doesNotContain("schedule-enable");
    }

    @Test
    void aStoredDocumentThatIsNotAScheduleIsListedAsNotAppliedWithWhy() throws Exception {
        try (Firestore db = EMULATOR.newClient()) { // written around the API
            db.collection("integrity_schedules").document("handWritten1").set(Map.of("name", 42))
                    .get(10, TimeUnit.SECONDS);
        }

        String page = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/").body(),
                body -> body.contains("Stored but not applied"));

        assertThat(ConsoleDocs.section(page, "<li data-schedule-id=\"handWritten1\">", "</li>"))
                .contains("<code>handWritten1</code>")
                .contains("is malformed: name must be a string, is a number; fix or delete the document");
    }

    private JsonNode json(String path) throws Exception {
        ApiClient.Answer answer = api.get(path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    /** The points of the chart's polyline of this series ({@code series-found}, ...), left to right. */
    private static List<String> points(String html, String series) {
        Matcher m = Pattern.compile("class=\"line " + series + "\" fill=\"none\" points=\"([^\"]*)\"")
                .matcher(html);
        assertThat(m.find()).as("a polyline of " + series).isTrue();
        return List.of(m.group(1).split(" "));
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("runs").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    private static String utc(Instant at) {
        return at.toString().replace("T", " ").replaceAll("\\.\\d+Z$", "").replace("Z", "") + " UTC";
    }
}
