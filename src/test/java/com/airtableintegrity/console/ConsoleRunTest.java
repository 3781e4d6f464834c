package com.airtableintegrity.console;

import static com.airtableintegrity.console.ConsoleDocs.BASE_A;
import static com.airtableintegrity.console.ConsoleDocs.href;
import static com.airtableintegrity.console.ConsoleDocs.issueSeqs;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.boot.ConsoleSession;
import com.airtableintegrity.support.EmulatorRuns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A run's page at {@code /runs/{id}} over real HTTP: its results, its stored issues paged with the exact counts
 * beside them (page and {@code GET /api/runs/{id}/issues}), its comparison with its baseline (the counts, the
 * baseline, the All, New and Resolved tabs), and the Cancel form (POST, redirect, flash message).
 */
class ConsoleRunTest extends BootApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(1, ChronoUnit.HOURS);

    EmulatorRuns runs;
    /** A browser-like client: keeps the session cookie (flash messages live in the session), follows no redirect. */
    HttpClient browser;

    @BeforeEach
    void emptyCollection() {
        EMULATOR.wipe();
        runs = new EmulatorRuns(EMULATOR);
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(ApiClient.TIMEOUT).build();
    }

    @Test
    void aWarningRunShowsItsResultsAndItsIssuesPagedWithTheExactCounts() throws Exception {
        Map<String, Object> warning = ConsoleDocs.run("warning", BASE_A, T0);
        warning.put("issues_found", 1234L);
        warning.put("issues_stored", 250L);
        warning.put("table_results", Map.of(
                "Customers", Map.of("finished", true, "records", 5000L, "pages", 50L, "restarts", 0L, "issues", 1234L,
                        "issues_by_rule", Map.of("unique:Email", 1000L, "required:Name", 234L)),
                "Orders", Map.of("finished", true, "records", 20L, "pages", 1L, "restarts", 0L, "issues", 0L,
                        "issues_by_rule", Map.of())));
        runs.put("runWithIssues", warning);
        runs.putIssues("runWithIssues", ConsoleDocs.issues(250));

        String first = api.get("/runs/runWithIssues").body();
        assertThat(first).contains("<span class=\"badge status-warning\">Warning</span>")
                .contains("<dd id=\"run-issues-found\" class=\"num\">1,234</dd>")
                .contains("<dd id=\"run-issues-stored\" class=\"num\">250</dd>")
                .contains("<span>required:Name: 234, unique:Email: 1,000</span>")
                .doesNotContain("id=\"cancel-run\"").doesNotContain("id=\"first-issues\"");
        assertThat(ConsoleDocs.section(first, "<tr data-table=\"Customers\">", "</tr>"))
                .contains("<td class=\"num\">5,000</td>").contains("<td class=\"num table-issues\">1,234</td>");
        assertThat(issueSeqs(first)).containsExactlyElementsOf(seqs(0, 100));
        assertThat(href(first, "next-issues")).isEqualTo("/runs/runWithIssues?after=99");

        String second = api.get(href(first, "next-issues")).body();
        assertThat(issueSeqs(second)).containsExactlyElementsOf(seqs(100, 200));
        String third = api.get(href(second, "next-issues")).body();
        assertThat(issueSeqs(third)).containsExactlyElementsOf(seqs(200, 250));
        assertThat(href(third, "next-issues")).isNull();
        assertThat(href(third, "first-issues")).isEqualTo("/runs/runWithIssues");

        JsonNode api1 = json("/api/runs/runWithIssues/issues?limit=100");
        assertThat(api1.get("issues_found").asLong()).isEqualTo(1234);
        assertThat(api1.get("issues_stored").asLong()).isEqualTo(250);
        assertThat(api1.get("issues_by_rule").toString())
                .isEqualTo("{\"Customers\":{\"unique:Email\":1000,\"required:Name\":234},\"Orders\":{}}");
        assertThat(api1.get("issues")).hasSize(100);
        assertThat(api1.get("issues").get(0).get("id").asText()).isEqualTo("000000");
        assertThat(api1.get("next").asText()).isEqualTo("99");
        JsonNode api2 = json("/api/runs/runWithIssues/issues?after=99&limit=500");
        assertThat(api2.get("issues")).hasSize(150);
        assertThat(api2.get("issues").get(0).get("seq").asLong()).isEqualTo(100);
        assertThat(api2.get("next").isNull()).isTrue();
    }

    @Test
    void aRunShowsWhereEachOfItsNoticesStands() throws Exception {
        Map<String, Object> failed = ConsoleDocs.run("error", BASE_A, T0);
        failed.put("notices", List.of(
                Map.of("channel", "ops-hook", "event", "error", "state", "delivered", "attempts", 2L,
                        "delivered_at", com.google.cloud.Timestamp.ofTimeSecondsAndNanos(T0.getEpochSecond() + 60, 0),
                        "last_error", "receiver answered HTTP 500: <b>busy</b>"),
                Map.of("channel", "team", "event", "every_run", "state", "pending", "attempts", 1L)));
        runs.put("notifiedRun", failed);

        String page = api.get("/runs/notifiedRun").body();

        String hook = ConsoleDocs.section(page, "<tr data-channel=\"ops-hook\" data-event=\"error\">", "</tr>");
        assertThat(hook).contains("<td class=\"notice-state\">delivered</td>").contains("<td class=\"num\">2</td>")
                .contains(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
                        .withZone(java.time.ZoneOffset.UTC).format(T0.plusSeconds(60)))
                .contains("receiver answered HTTP 500: &lt;b&gt;busy&lt;/b&gt;");
        assertThat(ConsoleDocs.section(page, "<tr data-channel=\"team\" data-event=\"every_run\">", "</tr>"))
                .contains("<td class=\"notice-state\">pending</td>");
    }

    @Test
    void theApiListsAStatesIssuesAloneAndTheResolvedOnesBesideThem() throws Exception {
        Map<String, Object> run = ConsoleDocs.run("warning", BASE_A, T0);
        run.putAll(Map.of("issues_found", 6L, "issues_stored", 6L, "issues_new", 2L, "issues_persisting", 3L,
                "issues_first_run", 1L, "issues_resolved", 4L, "issues_resolved_stored", 4L,
                "baseline_run_id", "earlierRun"));
        runs.put("diffRun", run);
        List<String> states = List.of("new", "persisting", "persisting", "first_run", "new", "persisting");
        List<Map<String, Object>> issues = new ArrayList<>(ConsoleDocs.issues(6));
        for (int i = 0; i < issues.size(); i++) {
            Map<String, Object> issue = new LinkedHashMap<>(issues.get(i));
            issue.put("state", states.get(i));
            issues.set(i, issue);
        }
        runs.putIssues("diffRun", issues);
        runs.putUnder("diffRun", "resolved", ConsoleDocs.issues(4));

        JsonNode fresh = json("/api/runs/diffRun/issues?state=new");
        assertThat(fresh.get("state").asText()).isEqualTo("new");
        assertThat(fresh.get("issues_new").asLong()).isEqualTo(2);
        assertThat(fresh.get("baseline_run_id").asText()).isEqualTo("earlierRun");
        assertThat(fresh.get("issues").findValuesAsText("seq")).containsExactly("0", "4");
        JsonNode persisting = json("/api/runs/diffRun/issues?state=persisting&limit=2");
        assertThat(persisting.get("issues").findValuesAsText("seq")).containsExactly("1", "2");
        assertThat(json("/api/runs/diffRun/issues?state=persisting&after=" + persisting.get("next").asText())
                .get("issues").findValuesAsText("seq")).containsExactly("5");
        JsonNode resolved = json("/api/runs/diffRun/resolved");
        assertThat(resolved.get("issues_resolved").asLong()).isEqualTo(4);
        assertThat(resolved.get("resolved")).hasSize(4);
    }

    @Test
    void anIssueStateTheApiDoesNotKnowIsA400NamingTheParameter() throws Exception {
        runs.put("diffRun", ConsoleDocs.run("warning", BASE_A, T0));

        ApiClient.Answer answer = api.get("/api/runs/diffRun/issues?state=resolved");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText()).isEqualTo("Query parameter 'state' must be "
                + "one of new, persisting, first_run (resolved issues are at /api/runs/{runId}/resolved)");
    }

    @Test
    void aComparedRunShowsItsDiffCountsAndLinksItsBaseline() throws Exception {
        aComparedRunWithIssues();

        String page = api.get("/runs/diffRun").body();

        assertThat(page).contains("<dd id=\"run-issues-new\" class=\"num\">2</dd>")
                .contains("<dd id=\"run-issues-persisting\" class=\"num\">3</dd>")
                .contains("<dd id=\"run-issues-resolved\" class=\"num\">4</dd>")
                .contains("<dd id=\"run-issues-first-run\" class=\"num\">1</dd>")
                .contains("<dd id=\"run-baseline\"><a id=\"baseline-link\" href=\"/runs/baseRun01\">baseRun01</a>"
                        + "</dd>")
                .contains("<strong>Tables not compared:</strong>\n      <span>Invoices</span>");
        assertThat(ConsoleDocs.section(page, "<tr data-table=\"Customers\">", "</tr>"))
                .contains("<td class=\"num table-issues-new\">2</td>")
                .contains("<td class=\"num table-issues-resolved\">0</td>");
        assertThat(ConsoleDocs.section(page, "<tr data-table=\"Orders\">", "</tr>"))
                .contains("<td class=\"num table-issues-new\">0</td>")
                .contains("<td class=\"num table-issues-resolved\">4</td>");
    }

    @Test
    void aRunWithoutABaselineSaysWhyInsteadOfLinkingOne() throws Exception {
        runs.put("firstRun", ConsoleDocs.comparedRun(T0, null, 0, 0, 0, 3));

        String page = api.get("/runs/firstRun").body();

        assertThat(page).contains("<dd id=\"run-baseline\"><span>No baseline: no earlier success or warning run "
                        + "of this schedule and base</span></dd>")
                .contains("<dd id=\"run-issues-first-run\" class=\"num\">3</dd>")
                .doesNotContain("baseline-link").doesNotContain("run-not-compared");
    }

    @Test
    void theAllTabListsEveryStoredIssueWithItsStateAndHowLongItHasBeenOpen() throws Exception {
        aComparedRunWithIssues();

        String page = api.get("/runs/diffRun").body();

        assertThat(issueSeqs(page)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(ConsoleDocs.issueStates(page))
                .containsExactly("New", "Persisting", "Persisting", "First run", "New", "Persisting");
        assertThat(ConsoleDocs.openFor(page))
                .containsExactly("&lt; 1 min", "12 min", "3 h", "&lt; 1 min", "&lt; 1 min", "5 days");
        assertThat(page).contains("id=\"tab-all\" aria-current=\"page\">All</a>")
                .contains("id=\"tab-new\">New</a>").contains("id=\"tab-resolved\">Resolved</a>");
        assertThat(href(page, "tab-all")).isEqualTo("/runs/diffRun");
        assertThat(href(page, "tab-new")).isEqualTo("/runs/diffRun?tab=new");
        assertThat(href(page, "tab-resolved")).isEqualTo("/runs/diffRun?tab=resolved");
    }

    @Test
    void theNewTabListsTheNewIssuesAlone() throws Exception {
        aComparedRunWithIssues();

        String page = api.get("/runs/diffRun?tab=new").body();

        assertThat(issueSeqs(page)).containsExactly(0L, 4L);
        assertThat(ConsoleDocs.issueStates(page)).containsExactly("New", "New");
        assertThat(page).contains("id=\"tab-new\" aria-current=\"page\">New</a>")
                .contains("id=\"tab-all\">All</a>")
                .contains("New in this run:\n      <strong>2</strong> (exact)");
    }

    @Test
    void theResolvedTabListsTheResolvedIssuesWithTheColumnsThatApply() throws Exception {
        aComparedRunWithIssues();

        String page = api.get("/runs/diffRun?tab=resolved").body();

        assertThat(issueSeqs(page)).containsExactly(0L, 1L, 2L, 3L);
        assertThat(ConsoleDocs.issueStates(page)).containsExactly("Resolved", "Resolved", "Resolved", "Resolved");
        assertThat(ConsoleDocs.openFor(page)).containsExactly("1 day", "1 day", "1 day", "1 day");
        assertThat(page).contains("id=\"tab-resolved\" aria-current=\"page\">Resolved</a>")
                .contains("<td><code>recR0000000000000</code></td>")
                .contains("Resolved since the baseline:\n      <strong>4</strong> (exact), stored\n      "
                        + "<strong>4</strong>.")
                .doesNotContain("<th scope=\"col\">Value</th>").doesNotContain("<th scope=\"col\">Message</th>");
    }

    @Test
    void pagingWithinATabKeepsTheTab() throws Exception {
        aComparedRunWithIssues();

        String firstNew = api.get("/runs/diffRun?tab=new&limit=1").body();
        assertThat(issueSeqs(firstNew)).containsExactly(0L);
        assertThat(href(firstNew, "next-issues")).isEqualTo("/runs/diffRun?tab=new&after=0&limit=1");
        String secondNew = api.get(href(firstNew, "next-issues")).body();
        assertThat(issueSeqs(secondNew)).containsExactly(4L);
        assertThat(href(secondNew, "next-issues")).isNull();
        assertThat(href(secondNew, "first-issues")).isEqualTo("/runs/diffRun?tab=new&limit=1");

        String firstResolved = api.get("/runs/diffRun?tab=resolved&limit=3").body();
        assertThat(issueSeqs(firstResolved)).containsExactly(0L, 1L, 2L);
        assertThat(href(firstResolved, "next-issues")).isEqualTo("/runs/diffRun?tab=resolved&after=2&limit=3");
        assertThat(issueSeqs(api.get(href(firstResolved, "next-issues")).body())).containsExactly(3L);
    }

    @Test
    void anUnknownTabIsA400NamingTheParameter() throws Exception {
        runs.put("diffRun", ConsoleDocs.comparedRun(T0, "baseRun01", 2, 3, 4, 1));

        ApiClient.Answer answer = api.get("/runs/diffRun?tab=persisting");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).get("message").asText())
                .isEqualTo("Query parameter 'tab' must be one of all, new, resolved; was 'persisting'");
    }

    @Test
    void aRunWrittenBeforeTheDiffRendersWithoutIt() throws Exception {
        Map<String, Object> old = ConsoleDocs.run("warning", BASE_A, T0);
        old.put("issues_found", 3L);
        old.put("issues_stored", 3L);
        old.put("table_results", Map.of("Customers", Map.of("finished", true, "records", 10L, "pages", 1L,
                "restarts", 0L, "issues", 3L, "issues_by_rule", Map.of("unique:Email", 3L))));
        runs.put("oldRun01", old);
        runs.putIssues("oldRun01", ConsoleDocs.issues(3));

        ApiClient.Answer answer = api.get("/runs/oldRun01");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(issueSeqs(answer.body())).containsExactly(0L, 1L, 2L);
        assertThat(ConsoleDocs.issueStates(answer.body())).containsExactly("", "", "");
        assertThat(ConsoleDocs.openFor(answer.body())).containsExactly("", "", "");
        assertThat(answer.body()).doesNotContain("run-baseline").doesNotContain("run-issues-new")
                .doesNotContain("run-not-compared")
                .contains("<td class=\"num table-issues-new\"></td>")
                .contains("<td class=\"num table-issues-resolved\"></td>");
    }

    @Test
    void aRecordIdLinksIntoAirtableOnlyWhenItsRecordUrlIsAnAirtableLink() throws Exception {
        runs.put("linkedRun", ConsoleDocs.run("warning", BASE_A, T0));
        List<Map<String, Object>> issues = new ArrayList<>();
        List<String> urls = Arrays.asList("https://airtable.com/" + BASE_A + "/tblCUSTOMERS0001/"
                + "rec00000000000000", "javascript:alert(1)", "https://airtable.com.example.org/x", null);
        for (Map<String, Object> issue : ConsoleDocs.issues(urls.size())) {
            Map<String, Object> withUrl = new LinkedHashMap<>(issue);
            if (urls.get(issues.size()) != null) {
                withUrl.put("record_url", urls.get(issues.size()));
            }
            issues.add(withUrl);
        }
        runs.putIssues("linkedRun", issues);

        String page = api.get("/runs/linkedRun").body();

        assertThat(page).contains("<td><a target=\"_blank\" rel=\"noopener noreferrer\" class=\"record-link\" href=\""
                        + urls.get(0) + "\"><code>rec00000000000000</code></a></td>")
                .contains("<td><code>rec00000000000001</code></td>")
                .contains("<td><code>rec00000000000002</code></td>")
                .contains("<td><code>rec00000000000003</code></td>")
                .doesNotContain("javascript:").doesNotContain("airtable.com.example.org");
        assertThat(page.split("class=\"record-link\"", -1)).hasSize(2);
    }

    @Test
    void aTimeoutRunShowsItsMessageUnfinishedTablesAndWhoSweptIt() throws Exception {
        Map<String, Object> swept = ConsoleDocs.run("timeout", BASE_A, T0);
        swept.put("error_message", "Run heartbeat stale: last heartbeat 300 s ago");
        swept.put("unfinished_tables", List.of("Orders"));
        swept.put("swept_by", "sweeper-host-7");
        swept.put("sweep_rule", "heartbeat_stale");
        runs.put("sweptRun", swept);

        String page = api.get("/runs/sweptRun").body();

        assertThat(page).contains("<span class=\"badge status-timeout\">Timeout</span>")
                .contains("<strong>Error message:</strong> <span>Run heartbeat stale: last heartbeat 300 s ago</span>")
                .contains("<strong>Unfinished tables:</strong> <span>Orders</span>")
                .contains("<strong>Swept</strong> by <code>sweeper-host-7</code>, rule\n      <code>heartbeat_stale</code>")
                .contains("its heartbeat had stopped")
                .doesNotContain("data-poll=");
    }

    @Test
    void theCancelFormRequestsTheCancellationAndSaysSo() throws Exception {
        Map<String, Object> running = ConsoleDocs.run("running", BASE_A, Instant.now().minusSeconds(5));
        running.put("heartbeat_at", com.airtableintegrity.store.RunCollection.toTimestamp(Instant.now()));
        runs.put("liveRun01", running);
        String page = api.get("/runs/liveRun01").body();
        assertThat(page).contains("<form method=\"post\" action=\"/runs/liveRun01/cancel\">")
                .contains("<button type=\"submit\" id=\"cancel-run\">Cancel run</button>")
                .contains("data-poll=\"/fragments/runs/liveRun01\"");

        HttpResponse<String> posted = post("/runs/liveRun01/cancel");

        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).endsWith("/runs/liveRun01");
        assertThat(runs.read("liveRun01")).containsEntry("cancel_requested", true).containsEntry("status", "running");
        String after = get("/runs/liveRun01").body();
        assertThat(after).contains("<p id=\"flash\" class=\"flash flash-done\" role=\"status\">Cancel requested for "
                + "run liveRun01: its runner stops within one page</p>")
                .contains("id=\"cancel-requested\"")
                .contains("<button type=\"submit\" id=\"cancel-run\" disabled=\"disabled\">Cancel run</button>");
        assertThat(get("/runs/liveRun01").body()).doesNotContain("id=\"flash\"");
        assertThat(api.get("/fragments/runs/liveRun01").body()).contains("data-terminal=\"false\"")
                .contains("id=\"cancel-requested\"");
    }

    @Test
    void aCancelOfARunThatEndedIsRefusedOnThePage() throws Exception {
        runs.put("doneRun01", ConsoleDocs.run("success", BASE_A, T0));

        HttpResponse<String> posted = post("/runs/doneRun01/cancel");

        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(get("/runs/doneRun01").body()).contains("<p id=\"flash\" class=\"flash flash-refused\" "
                + "role=\"status\">Run &#39;doneRun01&#39; is not running (status &#39;success&#39;)</p>");
        assertThat(runs.read("doneRun01")).containsEntry("cancel_requested", false);
    }

    @Test
    void theConfiguredScheduleCannotBeDisabledFromThePage() throws Exception {
        HttpResponse<String> posted = post("/schedules/default/disable");

        assertThat(posted.statusCode()).isEqualTo(302);
        assertThat(posted.headers().firstValue("Location").orElseThrow()).endsWith("/");
        assertThat(get("/").body()).contains("<p id=\"flash\" class=\"flash flash-refused\" role=\"status\">Schedule "
                + "&#39;default&#39; is the configured schedule");
    }

    @Test
    void theLiveFragmentShowsACancelledRunAsCancelledAndEndsThePolling() throws Exception {
        runs.put("endingRun", ConsoleDocs.run("running", BASE_A, Instant.now().minusSeconds(5)));
        assertThat(api.get("/fragments/runs/endingRun").body()).contains("status-running");

        runs.put("endingRun", ConsoleDocs.run("cancelled", BASE_A, Instant.now().minusSeconds(5)));

        assertThat(api.get("/fragments/runs/endingRun").body())
                .contains("<span class=\"badge status-cancelled\">Cancelled</span>")
                .contains("data-terminal=\"true\"").doesNotContain("cancel-run");
    }

    /**
     * Run {@code diffRun}, compared with {@code baseRun01}: six stored issues (new, persisting, persisting,
     * first_run, new, persisting; first seen at its start, 12.5 min, 3 h, at its start, at its start and 5 days 2 h
     * before it), four resolved ones (first seen a day before), and table Invoices not compared.
     */
    private void aComparedRunWithIssues() throws Exception {
        Map<String, Object> run = ConsoleDocs.comparedRun(T0, "baseRun01", 2, 3, 4, 1);
        run.put("tables_not_compared", List.of("Invoices"));
        run.put("table_results", Map.of(
                "Customers", Map.of("finished", true, "records", 50L, "pages", 1L, "restarts", 0L, "issues", 6L,
                        "compared", true, "issues_new", 2L, "issues_persisting", 3L, "issues_resolved", 0L,
                        "issues_first_run", 1L),
                "Orders", Map.of("finished", true, "records", 20L, "pages", 1L, "restarts", 0L, "issues", 0L,
                        "compared", true, "issues_new", 0L, "issues_persisting", 0L, "issues_resolved", 4L,
                        "issues_first_run", 0L)));
        runs.put("diffRun", run);
        runs.putIssues("diffRun", ConsoleDocs.issuesInStates(T0,
                List.of("new", "persisting", "persisting", "first_run", "new", "persisting"),
                List.of(Duration.ZERO, Duration.ofSeconds(750), Duration.ofHours(3), Duration.ZERO, Duration.ZERO,
                        Duration.ofDays(5).plusHours(2))));
        runs.putUnder("diffRun", "resolved", ConsoleDocs.resolved(T0, 4));
    }

    private HttpResponse<String> post(String path) throws Exception {
        String csrf = ConsoleSession.csrfOf(get("/").body());
        return browser.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")
                + path)).timeout(ApiClient.TIMEOUT);
    }

    private JsonNode json(String path) throws Exception {
        ApiClient.Answer answer = api.get(path);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }
}
