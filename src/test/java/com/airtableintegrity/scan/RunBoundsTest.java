package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * Nothing may hang: a silent or dripping Airtable, a run past its deadline, and cancellation all end the run on time
 * with the right terminal status, and nothing reaches Airtable after the run ended.
 */
class RunBoundsTest extends RunnerTestBase {

    private static final List<TableSpec> TWO_TABLES = List.of(
            new TableSpec("Fast", List.of(RuleSpec.required("Name"))),
            new TableSpec("Slow", List.of(RuleSpec.required("Name"))));

    private void loadTables(int slowRecords) {
        airtable.addTable(TestSettings.BASE, "Fast", Records.of('F', 150, i -> fields("Name", "n" + i)));
        airtable.addTable(TestSettings.BASE, "Slow", Records.of('S', slowRecords, i -> fields("Name", "n" + i)));
    }

    @Test
    void aServerThatNeverAnswersEndsTheRunWithinTheRequestTimeoutPlusTwoSeconds() throws Exception {
        loadTables(250);
        airtable.fault(Fault.neverAnswer().onTable("Slow").onPage(2));
        startRunner(TWO_TABLES, p -> p.getAirtable().setRequestTimeoutSeconds(3));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message"))
                .contains("table 'Slow' page 2").contains("no complete answer within the request timeout of 3 s");
        long stalledAtMs = stalledRequestOffsetMs(doc, "Slow", 2);
        // 2,990: the two instants are whole milliseconds of two clocks (the run's and the double's log); seen 2,999
        assertThat(durationMs(doc) - stalledAtMs).as("ms from the stalled request to the end of the run")
                .isBetween(2990L, 5000L);
        assertThat(airtable.requestsForTable("Slow")).as("the stalled page is not sent again").hasSize(2);
        assertThat(map(doc, "table_results", "Fast")).containsEntry("finished", true);
        assertThat(map(doc, "table_results", "Slow")).containsEntry("finished", false);
    }

    @Test
    void aServerThatDripsTheBodyEndsTheRunWithinTheRequestTimeoutPlusTwoSeconds() throws Exception {
        loadTables(250);
        airtable.fault(Fault.drip(Duration.ofMillis(500)).onTable("Slow").onPage(1));
        startRunner(TWO_TABLES, p -> p.getAirtable().setRequestTimeoutSeconds(3));

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message"))
                .contains("table 'Slow' page 1").contains("no complete answer within the request timeout of 3 s");
        assertThat(durationMs(doc)).isBetween(3000L, 5000L);
    }

    @Test
    void aRunPastItsDeadlineEndsTimeoutRecordsUnfinishedTablesAndSendsNothingAfterwards() throws Exception {
        loadTables(250);
        // Slow's second page never comes; the request timeout is longer than the run deadline
        airtable.fault(Fault.neverAnswer().onTable("Slow").onPage(2));
        startRunner(TWO_TABLES, p -> {
            p.getRun().setMaxDurationSeconds(4);
            p.getAirtable().setRequestTimeoutSeconds(30);
        });

        long before = System.nanoTime();
        String runId = runner.runNow();
        long endedNanos = System.nanoTime();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("timeout");
        assertThat((String) doc.get("error_message")).contains("deadline of 4 s").contains("unfinished tables: Slow");
        assertThat(doc.get("unfinished_tables")).isEqualTo(List.of("Slow"));
        assertThat(durationMs(doc)).as("run duration").isBetween(4000L, 6000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(endedNanos - before)).isLessThan(6500L);
        int requestsAtEnd = airtable.requestCount();
        // the stalled branch was cut off and must not send anything more
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> airtable.requestCount() == requestsAtEnd);
        assertThat(airtable.lastRequestNanos()).isLessThan(endedNanos);
    }

    @Test
    void settingCancelRequestedOnTheRunDocumentEndsTheRunCancelledWithinOnePage() throws Exception {
        loadTables(2000);
        airtable.fault(Fault.slow(Duration.ofMillis(300)).onTable("Slow").always());
        startRunner(TWO_TABLES);

        CompletableFuture<String> run = CompletableFuture.supplyAsync(runner::runNow);
        String runId = awaitLiveRunId();
        await().atMost(Duration.ofSeconds(10)).until(() -> airtable.requestsForTable("Slow").size() >= 3);
        runner.runs().requestCancel(runId);
        int requestsAtCancel = airtable.requestsForTable("Slow").size();

        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(runId);
        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("cancelled");
        assertThat((String) doc.get("error_message")).contains("cancel_requested");
        assertThat(airtable.requestsForTable("Slow").size()).isLessThanOrEqualTo(requestsAtCancel + 1);
    }

    @Test
    void cancelRunFromJavaOrJmxEndsTheRunCancelled() throws Exception {
        loadTables(2000);
        airtable.fault(Fault.slow(Duration.ofMillis(300)).onTable("Slow").always());
        startRunner(TWO_TABLES);

        CompletableFuture<String> run = CompletableFuture.supplyAsync(runner::runNow);
        String runId = awaitLiveRunId();
        assertThat(runner.beans().control().cancelRun(runId)).isTrue();

        assertThat(run.get(10, TimeUnit.SECONDS)).isEqualTo(runId);
        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("status")).isEqualTo("cancelled");
        assertThat((String) doc.get("error_message")).isEqualTo("Run cancelled by an operator (cancelRun)");
        assertThat(runner.beans().control().cancelRun(runId)).as("a finished run cannot be cancelled").isFalse();
    }

    private String awaitLiveRunId() {
        return await().atMost(Duration.ofSeconds(15)).until(
                () -> runner.beans().control().getActiveRuns(), ids -> !ids.isEmpty()).get(0);
    }

    /** When (ms after the run started) the double received the given page request of a table. */
    private long stalledRequestOffsetMs(Map<String, Object> doc, String table, int page) {
        var started = ((com.google.cloud.Timestamp) doc.get("started_at")).toDate().toInstant();
        var request = airtable.requestsForTable(table).stream().filter(r -> r.page() == page).findFirst().orElseThrow();
        return Duration.between(started, request.arrival()).toMillis();
    }
}
