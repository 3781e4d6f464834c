package com.airtableintegrity.jar;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerJar;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.Timestamp;

/**
 * SIGTERM to the packaged jar, as Ctrl-C's sibling, Kubernetes and Cloud Run send it: the live run ends
 * {@code cancelled} with its status written, the base is free for the next runner at once, and the process exits
 * within {@code integrity.shutdown.timeout-seconds} (default 8 s) with the JVM's code for SIGTERM, 143.
 */
class ShutdownIT {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final EmulatorRuns RUNS = new EmulatorRuns(EMULATOR);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);
    private static final int SIGTERM_EXIT_CODE = 143;
    private static final String EVERY_2_S = "0/2 * * * * ?";

    private AirtableDouble airtable;
    private RunnerJar first;
    private RunnerJar second;

    @BeforeEach
    void doubles() {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
    }

    @AfterEach
    void stop() {
        for (RunnerJar r : new RunnerJar[] {first, second}) {
            if (r != null) {
                r.close();
            }
        }
        airtable.close();
    }

    /** The packaged tables, 30 pages each, every page 300 ms slow: a run lasts well over 10 s. */
    private void slowTables() {
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 3_000, i -> fields("Name", "c" + i)));
        // the packaged rules also read Email and Status: a real Customers table has them, even when empty
        airtable.declareFields(TestSettings.BASE, "Customers", "Name", "Email", "Status");
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 3_000, i -> fields("Customer", List.of("recX"))));
        airtable.fault(Fault.slow(Duration.ofMillis(300)).always());
    }

    /**
     * The second SIGTERM is what {@code kill -- -PGID} or a terminal's signal under {@code mvn spring-boot:run}
     * sends: the runner gets the signal directly and again from its parent within milliseconds. That is one request
     * to stop, not a person's second one.
     */
    @Test
    void sigtermMidRunAndAgainFromAnotherSenderCancelsTheRunFreesTheBaseAndExitsWithinTheTimeout() throws Exception {
        slowTables();
        first = RunnerJar.against(airtable, EMULATOR).env("INTEGRITY_SCHEDULE_CRON", EVERY_2_S)
                .start("shutdown-mid-run").awaitReady(Duration.ofSeconds(90));
        String runId = await().atMost(Duration.ofSeconds(30)).until(
                () -> RUNS.firstOf("shutdown-mid-run"), r -> r != null && airtable.requestCount() >= 3).get("id").toString();

        long sent = System.nanoTime();
        first.sigterm();
        // the second as soon as the first has been received (two signals sent at once may merge into one)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> first.log().contains("SIGTERM: stopping gracefully"));
        first.sigterm();
        Integer exit = first.awaitExit(SHUTDOWN_TIMEOUT.plusSeconds(10));
        long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

        assertThat(exit).as("exit code; log:\n%s", first.log()).isEqualTo(SIGTERM_EXIT_CODE);
        assertThat(exitMs).as("SIGTERM to exit, ms").isLessThan(SHUTDOWN_TIMEOUT.toMillis());
        assertThat(first.log()).contains("after SIGTERM: the stop under way goes on").doesNotContain("exiting now");
        Map<String, Object> run = RUNS.read(runId);
        assertThat(run.get("status")).isEqualTo("cancelled");
        assertThat(run.get("error_message")).isEqualTo("Runner shutting down");
        assertThat(run.get("ended_by")).isEqualTo("shutdown");
        assertThat(run.get("unfinished_tables")).isEqualTo(List.of("Customers", "Orders"));
        assertThat(run.get("ended_at")).isNotNull();
        System.out.printf("SIGTERM mid-run: exit after %d ms%n", exitMs);

        second = RunnerJar.against(airtable, EMULATOR).env("INTEGRITY_SCHEDULE_CRON", EVERY_2_S)
                .start("shutdown-next-runner").awaitReady(Duration.ofSeconds(90));
        Instant ready = Instant.now();
        Map<String, Object> next = await().atMost(Duration.ofSeconds(10)).until(
                () -> RUNS.firstOf("shutdown-next-runner"), r -> r != null);
        Instant startedAt = RunCollection.toInstant((Timestamp) next.get("started_at"));
        // its first firing (every 2 s) found the base free: no firing was skipped for a live run
        assertThat(second.log()).doesNotContain("not started: run");
        assertThat(Duration.between(ready, startedAt)).as("ready to first run: one firing (2 s) plus the run's write")
                .isLessThanOrEqualTo(Duration.ofMillis(4_000));
        System.out.printf("next runner started a run %d ms after it was ready%n",
                Duration.between(ready, startedAt).toMillis());
    }

    @Test
    void sigtermWhileIdleExitsWithinTwoSeconds() throws Exception {
        first = RunnerJar.against(airtable, EMULATOR).start("shutdown-idle").awaitReady(Duration.ofSeconds(90));

        long sent = System.nanoTime();
        first.sigterm();
        Integer exit = first.awaitExit(Duration.ofSeconds(15));
        long exitMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

        assertThat(exit).as("exit code; log:\n%s", first.log()).isEqualTo(SIGTERM_EXIT_CODE);
        assertThat(exitMs).as("SIGTERM to exit while idle, ms").isLessThan(2_000);
        System.out.printf("SIGTERM idle: exit after %d ms%n", exitMs);
    }

    @Test
    void sigtermAsTheLastPageIsServedLeavesOneStatusWrittenOnce() throws Exception {
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 250, i -> fields("Name", "c" + i)));
        // the packaged rules also read Email and Status: a real Customers table has them, even when empty
        airtable.declareFields(TestSettings.BASE, "Customers", "Name", "Email", "Status");
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 50, i -> fields("Customer", List.of("recGONE"))));
        first = RunnerJar.against(airtable, EMULATOR).start("shutdown-final-write").awaitReady(Duration.ofSeconds(90));
        int lastPage = 4; // 3 pages of Customers, 1 of Orders (the schema request for record links comes first)

        assertThat(first.post("/api/runs").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> airtable.requests().stream().filter(r -> !r.schema()).count() >= lastPage);
        first.sigterm();
        Integer exit = first.awaitExit(SHUTDOWN_TIMEOUT.plusSeconds(10));

        assertThat(exit).as("exit code; log:\n%s", first.log()).isEqualTo(SIGTERM_EXIT_CODE);
        Map<String, Object> run = RUNS.firstOf("shutdown-final-write");
        assertThat(run.get("status")).as("the run's own result, or cancelled if the stop came first")
                .isIn("warning", "cancelled");
        assertThat(first.log().split("Run " + run.get("id") + " ended", -1)).as("final status written once").hasSize(2);
        Object endedAt = run.get("ended_at");
        // a second runner under the same id runs startup recovery and the sweep: neither may rewrite the status
        second = RunnerJar.against(airtable, EMULATOR).env("INTEGRITY_RUNNER_ID", "shutdown-final-write")
                .env("INTEGRITY_SWEEP_CRON", "0/1 * * * * ?").start("shutdown-final-write-again")
                .awaitReady(Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.log().contains("Hung-run sweep by"));
        Map<String, Object> later = RUNS.read(run.get("id").toString());
        assertThat(later.get("status")).isEqualTo(run.get("status"));
        assertThat(later.get("ended_at")).isEqualTo(endedAt);
    }
}
