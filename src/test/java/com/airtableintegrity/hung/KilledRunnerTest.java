package com.airtableintegrity.hung;

import static com.airtableintegrity.hung.HungRunDocs.instant;
import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.faults.TcpProxy;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;

/**
 * A runner in a separate JVM is killed with SIGKILL in the middle of a scan; the sweep route of another runner marks
 * its run {@code timeout} within heartbeat-stale-after + one sweep interval.
 */
class KilledRunnerTest extends RunnerTestBase {

    static final int HEARTBEAT_INTERVAL_S = 1;
    /**
     * Longer than the child's first Firestore transaction may take: started at once in a cold JVM, its run's start
     * took 1.7, 3.0 and 4.7 s from asked to committed on a 2-core box kept busy by a CPU hog and other builds, and a
     * run whose heartbeat is older than this less one interval stops itself (its lease), as it should.
     */
    static final int STALE_AFTER_S = 8;
    static final String SWEEP_CRON = "0/1 * * * * ?";
    static final int SWEEP_INTERVAL_S = 1;
    static final String DOOMED = "doomed-runner";
    static final String SWEEPER = "sweeper-runner";
    /** A client of this JVM's own, so the child can be watched before (or without) an in-process runner. */
    static final Firestore EMULATOR_DB = EMULATOR.newClient();

    /** The output of the child started last, named in failure messages. */
    private Path childLog;

    private static final List<TableSpec> BIG = List.of(new TableSpec("Big", List.of(RuleSpec.required("Name"))));

    /** 80 pages of 250 ms: the child is still paging when it is killed. */
    private void loadBigTable() {
        airtable.addTable(TestSettings.BASE, "Big", Records.of('B', 8_000, i -> fields("Name", "n" + i)));
        airtable.fault(Fault.slow(Duration.ofMillis(250)).onTable("Big").always());
    }

    @Test
    void aKilledRunnersRunIsMarkedTimeoutWithinHeartbeatStaleAfterPlusOneSweepInterval() throws Exception {
        loadBigTable();
        // this JVM is the other runner, sweeping every second
        startRunner(BIG, p -> {
            p.getRun().setRunnerId(SWEEPER);
            p.getRun().setHeartbeatIntervalSeconds(HEARTBEAT_INTERVAL_S);
            p.getSweep().setHeartbeatStaleAfterSeconds(STALE_AFTER_S);
            p.getSweep().setCron(SWEEP_CRON);
        });

        Process child = startChild("Big", "swept");
        try {
            String runId = awaitAliveRunOf(DOOMED);

            Instant killedAt = kill9(child);
            long killedNanos = System.nanoTime();

            await().atMost(Duration.ofSeconds(STALE_AFTER_S + SWEEP_INTERVAL_S + 10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "timeout".equals(doc(runId).get("status")));
            long observedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNanos);

            Map<String, Object> marked = doc(runId);
            Instant endedAt = instant(marked.get("ended_at"));
            Instant lastBeat = instant(marked.get("heartbeat_at"));
            long latencyMs = Duration.between(killedAt, endedAt).toMillis();
            report(String.format("kill -9 -> timeout in Firestore: %d ms (ended_at - kill), observed by polling "
                            + "after %d ms; last heartbeat %d ms before the kill; settings: heartbeat-interval=%d s, "
                            + "heartbeat-stale-after=%d s, sweep cron '%s' (every %d s)",
                    latencyMs, observedMs, Duration.between(lastBeat, killedAt).toMillis(), HEARTBEAT_INTERVAL_S,
                    STALE_AFTER_S, SWEEP_CRON, SWEEP_INTERVAL_S));

            Map<String, Object> expected = orphanFields(marked, "timeout");
            expected.put("duration_ms", Duration.between(instant(marked.get("started_at")), endedAt).toMillis());
            expected.put("error_message", HungRunQueries.HEARTBEAT_STALE_MESSAGE);
            expected.put("swept_by", SWEEPER);
            expected.put("sweep_rule", "heartbeat_stale");
            assertThat(marked).containsExactlyInAnyOrderEntriesOf(expected);
            assertThat(lastBeat).as("no heartbeat after the kill").isBeforeOrEqualTo(killedAt);
            assertThat(Duration.between(lastBeat, endedAt)).as("marked only once the heartbeat was stale")
                    .isGreaterThan(Duration.ofSeconds(STALE_AFTER_S));
            assertThat(latencyMs).as("kill -9 to timeout (ms)")
                    .isLessThanOrEqualTo((STALE_AFTER_S + SWEEP_INTERVAL_S) * 1000L + 1000); // + 1 s scheduling slack on a loaded machine
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRunnerRestartedAfterKill9ClosesItsOrphanedRunAtOnceAsRunnerRestarted() throws Exception {
        loadBigTable();
        Process child = startChild("Big", "restarted");
        try {
            String runId = awaitAliveRunOf(DOOMED);
            kill9(child);

            long restartNanos = System.nanoTime();
            // the same runner id starts again; its sweep never fires, so only startup recovery can close the run
            startRunner(BIG, p -> {
                p.getRun().setRunnerId(DOOMED);
                p.getRun().setHeartbeatIntervalSeconds(HEARTBEAT_INTERVAL_S);
                p.getSweep().setHeartbeatStaleAfterSeconds(STALE_AFTER_S);
            });
            Instant startReturned = Instant.now();
            long startMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartNanos);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> "error".equals(doc(runId).get("status")));
            report(String.format("kill -9, then restart of the same runner id: CamelRunner.start took %d ms; the "
                    + "orphaned run's ended_at is %d ms after start returned", startMs,
                    Duration.between(startReturned, instant(doc(runId).get("ended_at"))).toMillis()));

            Map<String, Object> closed = doc(runId);
            Map<String, Object> expected = orphanFields(closed, "error");
            expected.put("duration_ms", Duration.between(instant(closed.get("started_at")),
                    instant(closed.get("ended_at"))).toMillis());
            expected.put("error_message",
                    "Runner restarted: runner '" + DOOMED + "' started again while this run was still marked running");
            expected.put("recovered_by", DOOMED);
            assertThat(closed).containsExactlyInAnyOrderEntriesOf(expected);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The run-to-run diff's crash case: the child's runner dies (SIGKILL) after its run's last page was answered and
     * while it closes the run, before its terminal write could land (Firestore, reached through a proxy, is stalled
     * from the moment the last page is asked for; the page is answered 3 s later). That run never becomes a baseline:
     * the next run compares with the last run that ended, with exact counts.
     */
    @Test
    void aRunKilledBetweenItsLastPageAndItsTerminalWriteIsNeverABaseline() throws Exception {
        List<TableSpec> people = List.of(new TableSpec("People", List.of(RuleSpec.required("Name"))));
        people(1, 10);
        startRunner(people);
        String complete = runner.runNow();
        assertThat(doc(complete)).containsEntry("status", "warning").containsEntry("issues_found", 10L);
        runner.close();
        runner = null;
        airtable.clearRequests();
        people(6, 15); // 1-5 fixed, 6-10 still without a Name, 11-15 new
        airtable.fault(Fault.slow(Duration.ofSeconds(3)).onTable("People").onPage(10)); // 1,000 records: 10 pages

        String killed;
        try (TcpProxy firestore = TcpProxy.start("127.0.0.1", EMULATOR.port())) {
            // a cold child's first Firestore call can take over 5 s on a loaded box: this test does not time calls
            Process child = startChild("People", "killed-before-terminal-write", firestore.hostPort(),
                    "-Dhung.callTimeoutSeconds=20");
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> airtable.requestsForTable("People").size() >= 10);
                firestore.stall();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> threadDump(child).contains("RunLifecycle.write("));
                kill9(child);
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }
            killed = HungRunDocs.ofRunner(EMULATOR_DB, DOOMED).get(0).getId();
            assertThat(EMULATOR_DB.collection(HungRunDocs.RUNS).document(killed).get().get(10, TimeUnit.SECONDS)
                    .getString("status")).as("the terminal write never landed").isEqualTo("running");
        }

        startRunner(people, p -> p.getRun().setRunnerId(DOOMED)); // its startup recovery closes the killed run
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> "error".equals(doc(killed).get("status")));
        assertThat(EMULATOR_DB.collection(HungRunDocs.RUNS + "_baselines").document("default").get()
                .get(10, TimeUnit.SECONDS).getString("run_id")).as("the chain's baseline").isEqualTo(complete);
        String next = runner.runNow();

        assertThat(doc(next)).containsEntry("baseline_run_id", complete).containsEntry("issues_found", 10L)
                .containsEntry("issues_new", 5L).containsEntry("issues_persisting", 5L)
                .containsEntry("issues_resolved", 5L).containsEntry("issues_first_run", 0L);
    }

    /** 1,000 People records, those numbered {@code from} to {@code to} without a Name. */
    private void people(int from, int to) {
        airtable.addTable(TestSettings.BASE, "People",
                Records.of('P', 1000, i -> i >= from && i <= to ? fields() : fields("Name", "p" + i)));
    }

    /** The child's threads, as {@code jcmd <pid> Thread.print} prints them (within 20 s, or the test fails). */
    private static String threadDump(Process child) throws Exception {
        Path out = Files.createTempFile("jcmd-", ".txt");
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(child.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            boolean ended = jcmd.waitFor(20, TimeUnit.SECONDS);
            if (!ended) {
                jcmd.destroyForcibly();
            }
            assertThat(ended).as("jcmd ended within 20 s").isTrue();
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Waits for the child's run document and for proof that it is alive: three distinct heartbeats, pages fetched. */
    private String awaitAliveRunOf(String runnerId) {
        String runId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> HungRunDocs.ofRunner(EMULATOR_DB, runnerId), docs -> !docs.isEmpty())
                .get(0).getId();
        Set<Timestamp> beats = new LinkedHashSet<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, Object> d = EMULATOR_DB.collection(HungRunDocs.RUNS).document(runId).get()
                    .get(10, TimeUnit.SECONDS).getData();
            assertThat(d.get("status")).as("the child's run while alive (the child's output: %s)", childLog)
                    .isEqualTo("running");
            beats.add((Timestamp) d.get("heartbeat_at"));
            // beats and pages come at their own pace (a loaded child may beat three times before its third page)
            return beats.size() >= 3 && airtable.requestsForTable("Big").size() >= 3;
        });
        return runId;
    }

    /** SIGKILL (what {@code destroyForcibly} sends on Linux); returns when the child is gone. */
    private static Instant kill9(Process child) throws Exception {
        child.destroyForcibly();
        Instant killedAt = Instant.now();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("exit code of a SIGKILLed JVM").isEqualTo(128 + 9);
        return killedAt;
    }

    private static void report(String line) throws Exception {
        System.out.println(line);
        Files.writeString(buildDir().resolve("hung-kill9-latency.txt"), Instant.now() + " " + line
                + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Starts the doomed runner; its output goes to {@code hung-child-<logName>.log} in the build directory. */
    private Process startChild(String table, String logName) throws Exception {
        return startChild(table, logName, EMULATOR.hostPort());
    }

    /** As {@link #startChild(String, String)}, reaching Firestore at {@code emulatorHost}, with more settings. */
    private Process startChild(String table, String logName, String emulatorHost, String... properties)
            throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Dhung.airtableUrl=" + airtable.baseUrl(),
                "-Dhung.runnerId=" + DOOMED,
                "-Dhung.table=" + table,
                "-Dhung.projectId=" + EMULATOR.projectId(),
                "-Dhung.emulatorHost=" + emulatorHost,
                "-Dhung.heartbeatIntervalSeconds=" + HEARTBEAT_INTERVAL_S,
                "-Dhung.heartbeatStaleAfterSeconds=" + STALE_AFTER_S,
                "-Dhung.maxDurationSeconds=120",
                "-Dhung.maxLifeSeconds=120"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", classpath, RunnerProcessMain.class.getName()));
        File log = buildDir().resolve("hung-child-" + logName + ".log").toFile();
        childLog = log.toPath();
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log))
                .start();
    }

    /** The build directory (parent of test-classes), e.g. target-hung. */
    static Path buildDir() throws Exception {
        return Path.of(RunnerProcessMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    /** The fields the doomed runner's run document keeps once closed by someone else, with its timestamps as read. */
    private static Map<String, Object> orphanFields(Map<String, Object> doc, String status) {
        Map<String, Object> expected = new HashMap<>();
        expected.put("status", status);
        for (String timestamp : List.of("started_at", "heartbeat_at", "ended_at")) {
            expected.put(timestamp, doc.get(timestamp));
        }
        expected.put("trigger", "manual");
        expected.put("base_id", TestSettings.BASE);
        expected.put("tables", List.of("Big"));
        expected.put("runner_id", DOOMED);
        expected.put("max_duration_seconds", 120L);
        expected.put("cancel_requested", false);
        return expected;
    }
}
