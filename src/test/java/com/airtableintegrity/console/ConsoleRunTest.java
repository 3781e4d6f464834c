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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * beside them (page and {@code GET /api/runs/{id}/issues}), and the Cancel form (POST, redirect, flash message).
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
    void theApiListsAStatesIssuesAloneAndTheResolvedOnesBesideThem() throws Exception {
        Map<String, Object> run = ConsoleDocs.run("warning", BASE_A, T0);
        run.putAll(Map.of("issues_found", 6L, "issues_stored", 6L, "issues_new", 2L, "issues_persisting", 3L,
                "issues_first_run", 1L, "issues_resolved", 4L, "issues_resolved_stored", 4L,
                "baseline_run_id", "earlierRun"));
        runs.put("diffRun", run);
        List<String> states = List.of("new", "persisting", "persisting", "first_run", "new", "persisting");
        List<Map<String, Object>> issues = new java.util.ArrayList<>(ConsoleDocs.issues(6));
        for (int i = 0; i < issues.size(); i++) {
            Map<String, Object> issue = new java.util.LinkedHashMap<>(issues.get(i));
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
