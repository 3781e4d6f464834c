package com.airtableintegrity.faults;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Firestore going away in the middle of a run: the scan still ends on time (every Firestore call has a deadline),
 * the final status write is retried and then given up, the heartbeat stops, and once Firestore is back the hung-run
 * sweep closes the run as {@code timeout}. The runner reaches Firestore through a {@link TcpProxy}, so the outage
 * is the runner's alone and the emulator keeps the run document for the sweep (a restarted emulator starts empty).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirestoreOutageTest {

    private static final String TABLE = "People";
    private static final List<TableSpec> PEOPLE = List.of(new TableSpec(TABLE, List.of(RuleSpec.required("Name"))));
    private static final int CALL_TIMEOUT_S = 2;
    private static final int FINISH_ATTEMPTS = 2;

    private static final java.util.concurrent.atomic.AtomicInteger COLLECTIONS = new java.util.concurrent.atomic.AtomicInteger();
    private static FirestoreEmulator emulator;
    private static com.google.cloud.firestore.Firestore directClient;
    /** The emulator without the proxy, on this test's collection: what the sweep and the assertions use. */
    private RunCollection directRuns;
    private RunReads direct;

    private TcpProxy proxy;
    /** The warm-up run of {@link #startRunner()}: it ended {@code success}, so it is the chain's baseline. */
    private String warmUp;
    private AirtableDouble airtable;
    private CamelRunner runner;
    private IntegrityProperties props;
    private final ListAppender<ILoggingEvent> lifecycleLog = new ListAppender<>();

    @BeforeAll
    static void startEmulator() {
        emulator = FirestoreEmulator.startNew();
        directClient = emulator.newClient();
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (directClient != null) {
            directClient.close();
        }
        emulator.stop();
    }

    @BeforeEach
    void setUp() throws Exception {
        // Each test has its own collection: nothing the previous test's runner still had in flight touches it.
        String collection = "runs_" + COLLECTIONS.incrementAndGet();
        directRuns = new RunCollection(directClient, collection, Duration.ofSeconds(20), Clock.systemUTC());
        direct = new RunReads(directRuns);
        direct.read("warmUp");
        proxy = TcpProxy.start("127.0.0.1", emulator.port());
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        // 10 pages
        airtable.addTable(TestSettings.BASE, TABLE, Records.of('P', 1000, i -> fields("Name", "Person " + i)));
        props = TestSettings.of(airtable, emulator, PEOPLE);
        props.getFirestore().setEmulatorHost(proxy.hostPort());
        props.getFirestore().setCollection(collection);
        props.getFirestore().setCallTimeoutSeconds(CALL_TIMEOUT_S);
        props.getFirestore().setFinishAttempts(FINISH_ATTEMPTS);
        props.getAirtable().setRequestTimeoutSeconds(3);
        props.getRun().setHeartbeatIntervalSeconds(1);
        startRunner();
        Logger logger = (Logger) LoggerFactory.getLogger(RunLifecycle.class);
        lifecycleLog.start();
        logger.addAppender(lifecycleLog);
    }

    private void startRunner() throws Exception {
        runner = CamelRunner.start(props);
        // A first run warms the runner's Firestore client up: its first call can take longer than the 2 s call
        // timeout on a busy machine (the direct client's first call, above, has loaded the classes already).
        warmUp = await().atMost(Duration.ofSeconds(30)).until(runner::runNow, id -> id != null);
        assertThat(direct.read(warmUp).get("status")).isEqualTo("success");
        airtable.clearRequests();
    }

    @AfterEach
    void tearDown() throws Exception {
        ((Logger) LoggerFactory.getLogger(RunLifecycle.class)).detachAppender(lifecycleLog);
        try {
            if (runner != null) {
                runner.close();
            }
        } finally {
            airtable.close();
            proxy.close();
        }
    }

    @Test
    void firestoreUnreachableMidRunTheRunEndsOnTimeAndTheSweepClosesItAsTimeoutOnceFirestoreIsBack() throws Exception {
        outageMidRunThenSweep(proxy::cut);
    }

    @Test
    void firestoreSilentMidRunTheRunEndsOnTimeAndTheSweepClosesItAsTimeoutOnceFirestoreIsBack() throws Exception {
        outageMidRunThenSweep(proxy::stall);
    }

    /**
     * Soak finding: a runner resumed from SIGSTOP went on asking Airtable for a run the sweep had closed meanwhile.
     * Cut from Firestore longer than its lease (heartbeat-stale window 3 s less one 1 s interval), a run stops
     * sending within its lease of its last confirmed heartbeat, and ends {@code timeout}.
     */
    @Test
    void firestoreUnreachableLongerThanTheLeaseTheRunSendsNothingAfterItsLeaseAndEndsTimeout() throws Exception {
        runner.close();
        props.getSweep().setHeartbeatStaleAfterSeconds(3);
        startRunner();
        CompletableFuture<String> run = slowRunUnderWay(Duration.ofMillis(600));

        long cut = System.nanoTime();
        proxy.cut();
        String runId = run.get(30, TimeUnit.SECONDS);
        long lastRequestAfterCutMs = TimeUnit.NANOSECONDS.toMillis(airtable.lastRequestNanos() - cut);
        System.out.printf("ELAPSED cut to the last Airtable request: %d ms%n", lastRequestAfterCutMs);

        assertThat(airtable.requestsForTable(TABLE)).as("the scan stopped early").hasSizeLessThan(10);
        // the last confirmed heartbeat is at most one interval (1 s) before the cut: its 2 s lease ends by cut + 2 s
        assertThat(lastRequestAfterCutMs).as("ms from the cut to the last request").isLessThan(2_500L);
        proxy.restore();
        HungRunSweeper sweeper = sweeper(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            sweeper.sweep();
            return direct.read(runId).get("status");
        }, "timeout"::equals);
    }

    @Test
    void firestoreUnreachableAtTheStartNoRunStartsAndAirtableIsNotAsked() throws Exception {
        proxy.cut();

        long t0 = System.nanoTime();
        String runId = runner.runNow();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("ELAPSED start without Firestore: %d ms%n", elapsedMs);

        assertThat(runId).as("no run started").isNull();
        assertThat(airtable.requestCount()).isZero();
        assertThat(elapsedMs).as("one bounded Firestore call of at most 2 s").isLessThan(4000L);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it leaves the class's emulator stopped
    void theEmulatorStoppedMidRunDoesNotHangTheRunner() throws Exception {
        CompletableFuture<String> run = slowRunUnderWay(Duration.ofMillis(300));

        long t0 = System.nanoTime();
        emulator.stop();
        String runId = run.get(20, TimeUnit.SECONDS);
        long endedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("ELAPSED outage to end of run: %d ms%n", endedAfterMs);

        assertThat(runId).isNotNull();
        assertFinalWriteGivenUp();
        // stop itself takes up to a few seconds; then at most the rest of the scan (about 2.4 s) and two bounded writes
        assertThat(endedAfterMs).as("ms from the emulator stop to the end of the run").isLessThan(14_000L);

        // A restarted emulator starts empty, so the run document is gone: the sweep after Firestore comes back is
        // shown by the two proxy tests above; that a client recovers after a restart, by RunStoreOutageTest.
    }

    private void outageMidRunThenSweep(Runnable outage) throws Exception {
        CompletableFuture<String> run = slowRunUnderWay(Duration.ofMillis(300));

        long t0 = System.nanoTime();
        outage.run();
        String runId = run.get(20, TimeUnit.SECONDS);
        long endedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("ELAPSED outage to end of run: %d ms%n", endedAfterMs);

        // the scan itself finished: Airtable was fine
        assertThat(airtable.requestsForTable(TABLE)).hasSize(10);
        assertFinalWriteGivenUp();
        // rest of the scan (about 2.4 s) + 2 final-write attempts of at most 2 s each + 0.5 s backoff
        assertThat(endedAfterMs).as("ms from the outage to the end of the run").isBetween(2000L, 11_000L);

        Map<String, Object> left = direct.read(runId);
        assertThat(left.get("status")).as("left running by the runner").isEqualTo("running");

        HungRunSweeper sweeper = sweeper(Duration.ofSeconds(2));
        HungRunSweeper.SweepResult swept = sweeper.sweep();
        assertThat(swept.markedStaleHeartbeat()).isEqualTo(1);
        Map<String, Object> doc = direct.read(runId);
        assertThat(doc.get("status")).isEqualTo("timeout");
        assertThat(doc.get("sweep_rule")).isEqualTo("heartbeat_stale");
        assertThat(doc.get("error_message")).isEqualTo(HungRunQueries.HEARTBEAT_STALE_MESSAGE);

        // Firestore comes back for the runner too: nothing it still had in flight overwrites the sweep's verdict
        proxy.restore();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> "timeout".equals(direct.read(runId).get("status")));

        // the outage lasted through the run's close, whose terminal commit would have carried its state (the next
        // run's baseline): the previous baseline stays in force
        airtable.clearFaults();
        String next = await().atMost(Duration.ofSeconds(30)).until(runner::runNow, id -> id != null);
        assertThat(direct.read(next)).containsEntry("status", "success").containsEntry("baseline_run_id", warmUp);
    }

    /**
     * Firestore lost while a run writes a state too large for its terminal commit (17 rules: 17 documents, 17,000
     * issues), then back for the terminal commit: the run ends with its result and {@code issue_state_error}, and the
     * previous baseline stays in force: the next run diffs against it.
     */
    @Test
    void firestoreLostWhileALargeStateIsWrittenAheadLeavesThePreviousBaselineInForce() throws Exception {
        runner.close();
        List<RuleSpec> rules = IntStream.rangeClosed(1, 17).mapToObj(i -> RuleSpec.required("Missing" + i)).toList();
        props.setTables(List.of(new TableSpec(TABLE, rules)));
        airtable.declareFields(TestSettings.BASE, TABLE, "Name",
                IntStream.rangeClosed(1, 17).mapToObj(i -> "Missing" + i).toArray(String[]::new));
        props.getIssues().setMaxStored(10); // the state's write is the only large one
        runner = CamelRunner.start(props);
        // a new client's first call may outlast the 2 s call timeout on a busy machine: then no run starts
        String first = await().atMost(Duration.ofSeconds(30)).until(runner::runNow, id -> id != null);
        assertThat(direct.read(first)).containsEntry("status", "warning").containsEntry("issues_found", 17_000L);
        assertThat(map(direct.read(first), "issue_state")).containsEntry("documents", 17L);

        proxy.dropBursts(128 * 1024, Duration.ofMillis(500));
        String second = runner.runNow();
        proxy.restore();
        String third = runner.runNow();

        Map<String, Object> lost = direct.read(second);
        assertThat(lost).containsEntry("status", "warning").containsEntry("baseline_run_id", first)
                .containsEntry("issues_persisting", 17_000L).doesNotContainKey("issue_state");
        assertThat((String) lost.get("issue_state_error")).startsWith("Firestore write issue state (17 documents from 0)");
        assertThat(direct.read(third)).containsEntry("baseline_run_id", first)
                .containsEntry("issues_persisting", 17_000L).containsEntry("issues_new", 0L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> doc, String key) {
        return (Map<String, Object>) doc.get(key);
    }

    /** A run of the 10-page table, each page {@code perPage} slow, started and two requests in. */
    private CompletableFuture<String> slowRunUnderWay(Duration perPage) {
        airtable.fault(Fault.slow(perPage).onTable(TABLE).always());
        CompletableFuture<String> run = CompletableFuture.supplyAsync(runner::runNow);
        await().atMost(Duration.ofSeconds(10)).until(() -> airtable.requestCount() >= 2);
        return run;
    }

    /** A sweep straight to the emulator (not through the proxy), heartbeats stale after {@code stale}. */
    private HungRunSweeper sweeper(Duration stale) {
        return new HungRunSweeper(new HungRunQueries(directRuns), Duration.ofMinutes(30), stale, "test-sweeper",
                RunnerExecutors.sweepPool(runner.context()));
    }

    private void assertFinalWriteGivenUp() {
        List<String> messages = lifecycleLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).filteredOn(m -> m.contains("writing the final status (attempt")).hasSize(FINISH_ATTEMPTS);
        assertThat(messages).anyMatch(m -> m.contains("could not be written; its heartbeat has stopped"));
    }
}
