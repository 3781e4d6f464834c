package com.airtableintegrity.faults;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.AirtableDoubleRequest;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * The Airtable fault matrix: for each misbehaviour of Airtable or the network, the run's final status, its
 * error_message, its request counters and how long it took. Table "People" has 250 records = 3 pages; faults hit
 * page 2 unless said otherwise. Request timeout 3 s, 429 wait 1 s, backoff 50..200 ms, 3 attempts per page.
 */
class AirtableFaultMatrixTest extends RunnerTestBase {

    private static final String TABLE = "People";
    private static final List<TableSpec> PEOPLE = List.of(new TableSpec(TABLE, List.of(RuleSpec.required("Name"))));

    private long elapsedMs = -1;

    @AfterEach
    void reportElapsed(TestInfo test) {
        if (airtable != null && !airtable.requests().isEmpty()) {
            long first = airtable.requests().get(0).arrivalNanos();
            System.out.println("REQUESTS " + airtable.requests().stream().map(r -> r.page() + "@"
                    + TimeUnit.NANOSECONDS.toMillis(r.arrivalNanos() - first) + "/" + r.status()).toList());
        }
        boolean page2 = airtable != null && airtable.requestsForTable(TABLE).stream().anyMatch(r -> r.page() == 2);
        System.out.printf("ELAPSED %s: %d ms from the first request to the end; from the first page 2 request: "
                        + "%s ms to the end, %s ms to the last request%n", test.getDisplayName(), elapsedMs,
                elapsedMs >= 0 && page2 ? msFromPageRequestToEnd(2) : "-",
                page2 ? msFromPageRequestToLastRequest(2) : "-");
    }

    private void loadCleanTable() {
        airtable.addTable(TestSettings.BASE, TABLE, Records.of('P', 250, i -> fields("Name", "Person " + i)));
    }

    /** Starts the runner with the matrix's short bounds, runs once, and returns the run document. */
    private Map<String, Object> run(java.util.function.Consumer<com.airtableintegrity.config.IntegrityProperties> more)
            throws Exception {
        startRunner(PEOPLE, p -> {
            p.getAirtable().setRequestTimeoutSeconds(3);
            p.getAirtable().setRateLimitWaitSeconds(1);
            p.getAirtable().setBackoffInitialMillis(50);
            p.getAirtable().setBackoffMaxMillis(200);
            more.accept(p);
        });
        return runAndTime();
    }

    /**
     * Runs once with the started runner; {@link #elapsedMs} is the time from the first request Airtable received to
     * the end of the run (the run's Firestore writes included, its creation not: a cold Firestore client may take
     * seconds on a loaded machine, which says nothing about the page loop).
     */
    private Map<String, Object> runAndTime() {
        String runId = runner.runNow();
        long end = System.nanoTime();
        assertThat(runId).as("run id").isNotNull();
        List<AirtableDoubleRequest> requests = airtable.requests();
        elapsedMs = requests.isEmpty() ? 0 : TimeUnit.NANOSECONDS.toMillis(end - requests.get(0).arrivalNanos());
        return doc(runId);
    }

    /**
     * Ms from the arrival of the first request for the given page to the arrival of the last request: the page loop's
     * own timing, without the run's final Firestore writes (which take seconds on a loaded machine).
     */
    private long msFromPageRequestToLastRequest(int page) {
        List<AirtableDoubleRequest> all = airtable.requests();
        long at = airtable.requestsForTable(TABLE).stream().filter(r -> r.page() == page).findFirst().orElseThrow()
                .arrivalNanos();
        return TimeUnit.NANOSECONDS.toMillis(all.get(all.size() - 1).arrivalNanos() - at);
    }

    /** Ms from the arrival of the first request for the given page to the end of the run. */
    private long msFromPageRequestToEnd(int page) {
        long end = airtable.requests().get(0).arrivalNanos() + TimeUnit.MILLISECONDS.toNanos(elapsedMs);
        long at = airtable.requestsForTable(TABLE).stream().filter(r -> r.page() == page).findFirst().orElseThrow()
                .arrivalNanos();
        return TimeUnit.NANOSECONDS.toMillis(end - at);
    }

    private Map<String, Object> run() throws Exception {
        return run(p -> { });
    }

    private long pageRequests(int page) {
        return airtable.requestsForTable(TABLE).stream().filter(r -> r.page() == page).count();
    }

    private static void assertScannedCompletely(Map<String, Object> doc) {
        assertThat(doc.get("status")).isEqualTo("success");
        assertThat(doc).doesNotContainKey("error_message");
        assertThat(doc.get("records_scanned")).isEqualTo(250L);
        assertThat(map(doc, "table_results", TABLE)).containsEntry("finished", true)
                .containsEntry("records", 250L).containsEntry("pages", 3L);
    }

    /** The run failed on page 2: page 1 counted, page 2 not, nothing reported as finished. */
    private static void assertFailedOnPage2(Map<String, Object> doc) {
        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message")).contains("table 'People' page 2");
        assertThat(map(doc, "table_results", TABLE)).containsEntry("finished", false)
                .containsEntry("records", 100L).containsEntry("pages", 1L);
        assertThat(doc.get("unfinished_tables")).isEqualTo(List.of(TABLE));
    }

    /** Loads the clean table, installs the fault, runs once with the matrix's bounds; returns the run document. */
    private Map<String, Object> runWithFault(Fault fault) throws Exception {
        loadCleanTable();
        airtable.fault(fault);
        return run();
    }

    /** The page loop gave up or finished within 1 s of the first page 2 request, the run within 6 s. */
    private void assertQuickFromPage2() {
        assertThat(msFromPageRequestToLastRequest(2)).as("ms from the first to the last request from page 2 on")
                .isLessThan(1000L);
        assertThat(elapsedMs).as("ms from the first request to the end of the run").isLessThan(6000L);
    }

    /** Rejected for good: status error, the message starting so, one request, within 2 s; chain more on the message. */
    private AbstractStringAssert<?> assertRejectedAtOnce(Map<String, Object> doc, String messageStart) {
        assertThat(doc.get("status")).isEqualTo("error");
        assertThat(airtable.requests()).hasSize(1);
        assertThat(elapsedMs).as("elapsed ms").isLessThan(2000L);
        return assertThat((String) doc.get("error_message")).startsWith(messageStart);
    }

    private static Map<String, Object> counters(Map<String, Object> doc) {
        return map(doc, "counters");
    }

    // ------------------------------------------------------------------ requests that never complete

    static Stream<Named<Supplier<Fault>>> answersThatNeverComplete() {
        return Stream.of(
                Named.of("never answers", Fault::neverAnswer),
                Named.of("headers, then no body", Fault::headersThenHang),
                // one byte every 200 ms: never trips a socket read timeout, only the wall-clock bound
                Named.of("drips the body", () -> Fault.drip(Duration.ofMillis(200))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answersThatNeverComplete")
    void anAnswerThatNeverCompletesFailsThePageWithoutRetryWithinRequestTimeoutPlusTwoSeconds(Supplier<Fault> fault)
            throws Exception {
        Map<String, Object> doc = runWithFault(fault.get().onTable(TABLE).onPage(2));

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message")).contains("no complete answer within the request timeout of 3 s");
        assertThat(pageRequests(2)).as("the hung page is not sent again").isEqualTo(1);
        assertThat(counters(doc)).containsEntry("requests", 2L).containsEntry("retries", 0L).containsEntry("pages", 1L);
        assertThat(msFromPageRequestToEnd(2)).as("ms from the hung request to the end of the run")
                .isBetween(3000L, 5000L);
    }

    @Test
    void aSlowAnswerWithinTheRequestTimeoutSucceedsWithoutRetry() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.slow(Duration.ofMillis(1500)).onTable(TABLE).onPage(2));

        assertScannedCompletely(doc);
        assertThat(counters(doc)).containsEntry("requests", 3L).containsEntry("retries", 0L).containsEntry("pages", 3L);
        assertThat(msFromPageRequestToLastRequest(2)).as("ms from the slow request to the last request")
                .isBetween(1500L, 2500L);
        assertThat(elapsedMs).as("ms from the first request to the end of the run").isLessThan(6000L);
    }

    // ------------------------------------------------------------------ 5xx

    static Stream<Named<Supplier<Fault>>> transientFailures() {
        return Stream.of(
                Named.of("HTTP 500", () -> Fault.status(500)),
                Named.of("HTTP 502", () -> Fault.status(502)),
                Named.of("HTTP 503", () -> Fault.status(503)),
                Named.of("connection reset", Fault::reset),
                Named.of("truncated body", Fault::truncated));
    }

    @ParameterizedTest(name = "{0} once")
    @MethodSource("transientFailures")
    void aTransientFailureOnceIsRetriedAndTheRunSucceeds(Supplier<Fault> fault) throws Exception {
        Map<String, Object> doc = runWithFault(fault.get().onTable(TABLE).onPage(2).once());

        assertScannedCompletely(doc);
        assertThat(pageRequests(2)).isEqualTo(2);
        assertThat(counters(doc)).containsEntry("requests", 4L).containsEntry("retries", 1L).containsEntry("pages", 3L)
                .containsEntry("rate_limited_429", 0L);
        assertQuickFromPage2();
    }

    static Stream<Arguments> transientFailuresWithTheirCause() {
        return Stream.of(
                Arguments.of(Named.of("HTTP 500", (Supplier<Fault>) () -> Fault.status(500)),
                        "HTTP 500 SERVER_ERROR: Server error$"),
                Arguments.of(Named.of("HTTP 502", (Supplier<Fault>) () -> Fault.status(502)),
                        "HTTP 502 BAD_GATEWAY: Bad gateway$"),
                Arguments.of(Named.of("HTTP 503", (Supplier<Fault>) () -> Fault.status(503)),
                        "HTTP 503 SERVICE_UNAVAILABLE: Service unavailable$"),
                Arguments.of(Named.of("connection reset", (Supplier<Fault>) Fault::reset),
                        "Connection reset|failed to respond"),
                Arguments.of(Named.of("truncated body", (Supplier<Fault>) Fault::truncated),
                        "(?i)premature end"));
    }

    @ParameterizedTest(name = "{0} always")
    @MethodSource("transientFailuresWithTheirCause")
    void aTransientFailureOnEveryAttemptFailsAfterThreeAttemptsNamingTableAndPageAndCause(Supplier<Fault> fault,
            String cause) throws Exception {
        Map<String, Object> doc = runWithFault(fault.get().onTable(TABLE).onPage(2).always());

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message")).startsWith("table 'People' page 2: failed after 3 attempts: ")
                .containsPattern(cause);
        assertThat(pageRequests(2)).isEqualTo(3);
        assertThat(counters(doc)).containsEntry("requests", 4L).containsEntry("retries", 2L);
        assertQuickFromPage2();
    }

    @Test
    void malformedJsonFailsThePageAtOnceAndCountsNothingOfIt() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.malformedJson().onTable(TABLE).onPage(2));

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message"))
                .startsWith("table 'People' page 2: Airtable's answer could not be read: malformed JSON");
        assertThat(pageRequests(2)).isEqualTo(1);
        assertThat(counters(doc)).containsEntry("retries", 0L).containsEntry("pages", 1L);
        assertQuickFromPage2();
    }

    @Test
    void aBrokenRecordHalfwayThroughThePageCountsNoRecordOfThatPage() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.malformedJson("{\"records\":[{\"id\":\"recA\",\"fields\":{}},"
                + "{\"id\":\"recB\",\"fields\":{}},42],\"offset\":\"itrX/recY\"}").onTable(TABLE).onPage(2));

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message"))
                .isEqualTo("table 'People' page 2: Airtable's answer could not be read: record 2 is not a JSON object");
        assertThat(map(doc, "table_results", TABLE, "issues_by_rule")).containsEntry("required:Name", 0L);
    }

    @Test
    void anAnswerOfTheWrongShapeFailsThePageAtOnce() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.unexpectedShape().onTable(TABLE).onPage(2));

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message"))
                .isEqualTo("table 'People' page 2: Airtable's answer could not be read: the answer has no 'records' array");
        assertThat(pageRequests(2)).isEqualTo(1);
    }

    @Test
    void anUnreachableAirtableFailsAfterThreeAttemptsNamingTheCause() throws Exception {
        loadCleanTable();
        int port = airtable.port();
        airtable.close(); // nothing listens on the port any more: connection refused

        startRunner(PEOPLE, p -> p.getAirtable().setApiUrl("http://127.0.0.1:" + port));
        long t0 = System.nanoTime();
        Map<String, Object> doc = doc(runner.runNow());
        elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0); // run creation included: nothing arrives

        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message")).startsWith("table 'People' page 1: failed after 3 attempts: ")
                .containsIgnoringCase("refused");
        assertThat(counters(doc)).containsEntry("requests", 3L).containsEntry("retries", 2L);
        assertThat(elapsedMs).as("elapsed ms, Firestore writes included").isLessThan(6000L);
    }

    // ------------------------------------------------------------------ 429

    @Test
    void a429OnceWithoutRetryAfterWaitsTheConfiguredTimeThenSucceeds() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.tooManyRequests(null).onTable(TABLE).onPage(2).once());

        assertScannedCompletely(doc);
        assertThat(pageRequests(2)).isEqualTo(2);
        assertThat(counters(doc)).containsEntry("rate_limited_429", 1L).containsEntry("retries", 1L)
                .containsEntry("requests", 4L).containsEntry("pages", 3L);
        assertThat(msBetweenTheFirstTwoPage2Requests()).as("ms between the 429 and the retry").isBetween(1000L, 2000L);
        assertThat(elapsedMs).as("ms from the first request to the end of the run").isLessThan(6000L);
    }

    @Test
    void a429WithRetryAfterWaitsThatLong() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.tooManyRequests("2").onTable(TABLE).onPage(2).once());

        assertScannedCompletely(doc);
        assertThat(pageRequests(2)).isEqualTo(2);
        assertThat(msBetweenTheFirstTwoPage2Requests()).as("ms between the 429 and the retry").isBetween(2000L, 3000L);
        assertThat(counters(doc)).containsEntry("rate_limited_429", 1L).containsEntry("retries", 1L);
        assertThat(elapsedMs).as("ms from the first request to the end of the run").isLessThan(7000L);
    }

    @Test
    void a429StormFailsAfterTheBoundedAttempts() throws Exception {
        Map<String, Object> doc = runWithFault(Fault.tooManyRequests(null).onTable(TABLE).onPage(2).always());

        assertFailedOnPage2(doc);
        assertThat((String) doc.get("error_message"))
                .contains("Airtable kept answering 429 (rate limited) after 3 attempts");
        assertThat(pageRequests(2)).isEqualTo(3);
        assertThat(counters(doc)).containsEntry("rate_limited_429", 3L).containsEntry("retries", 2L)
                .containsEntry("requests", 4L);
        assertThat(msFromPageRequestToLastRequest(2)).as("ms from the first to the last 429: two waits of 1 s")
                .isBetween(2000L, 3000L);
        assertThat(elapsedMs).as("ms from the first request to the end of the run").isLessThan(7000L);
    }

    @Test
    void a429WaitNeverExtendsPastTheRunDeadline() throws Exception {
        loadCleanTable();
        airtable.fault(Fault.tooManyRequests("30").onTable(TABLE).onPage(2).always());

        Map<String, Object> doc = run(p -> p.getRun().setMaxDurationSeconds(3));

        assertThat(doc.get("status")).isEqualTo("timeout");
        assertThat((String) doc.get("error_message")).contains("deadline of 3 s").contains("unfinished tables: People");
        assertThat(pageRequests(2)).as("no retry inside the 30 s wait").isEqualTo(1);
        assertThat(counters(doc)).containsEntry("rate_limited_429", 1L);
        assertThat(durationMs(doc)).as("run duration ms").isBetween(3000L, 5000L);
    }

    // ------------------------------------------------------------------ expired iteration

    /** 250 records: Name missing on 5 of them, Email shared by 2; a double count would show in every number. */
    private long msBetweenTheFirstTwoPage2Requests() {
        List<AirtableDoubleRequest> page2 = airtable.requestsForTable(TABLE).stream().filter(r -> r.page() == 2).toList();
        assertThat(page2).hasSizeGreaterThanOrEqualTo(2);
        return TimeUnit.NANOSECONDS.toMillis(page2.get(1).arrivalNanos() - page2.get(0).arrivalNanos());
    }

    private void loadTableWithIssues() {
        airtable.addTable(TestSettings.BASE, TABLE, Records.of('P', 250, i -> fields(
                "Name", i % 50 == 7 ? null : "Person " + i,
                "Email", i == 3 || i == 180 ? "dup@example.com" : "p" + i + "@example.com")));
    }

    private static final List<TableSpec> PEOPLE_WITH_RULES = List.of(new TableSpec(TABLE, List.of(
            RuleSpec.required("Name"), RuleSpec.unique("Email"))));

    /** The table with issues, the given expiring-iteration fault, a runner with request timeout 3 s. */
    private void startWithIssues(Fault expiring) throws Exception {
        loadTableWithIssues();
        airtable.fault(expiring);
        startRunner(PEOPLE_WITH_RULES, p -> p.getAirtable().setRequestTimeoutSeconds(3));
    }

    @Test
    void anExpiredIterationMidTableRestartsTheTableAndCountsEachRecordOnce() throws Exception {
        startWithIssues(Fault.expireIteration().onTable(TABLE).onPage(3).once());

        Map<String, Object> doc = runAndTime();
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("records_scanned")).isEqualTo(250L);
        assertThat(doc.get("issues_found")).isEqualTo(7L);
        Map<String, Object> people = map(doc, "table_results", TABLE);
        assertThat(people).containsEntry("finished", true).containsEntry("records", 250L).containsEntry("pages", 3L)
                .containsEntry("restarts", 1L).containsEntry("issues", 7L);
        assertThat(map(people, "issues_by_rule")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "required:Name", 5L, "unique:Email", 2L));
        assertThat(counters(doc)).containsEntry("iterator_restarts", 1L).containsEntry("requests", 6L)
                .containsEntry("pages", 5L).containsEntry("retries", 0L);
        assertThat(airtable.requestsForTable(TABLE)).extracting(AirtableDoubleRequest::page)
                .containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void anExpiredIterationStoresEachIssueOnce() throws Exception {
        startWithIssues(Fault.expireIteration().onTable(TABLE).onPage(3).once());

        String runId = runner.runNow();

        Map<String, Object> doc = doc(runId);
        assertThat(doc.get("issues_stored")).isEqualTo(7L);
        assertThat(issues(runId)).extracting(i -> i.get("rule") + ":" + i.get("record_id"))
                .doesNotHaveDuplicates().hasSize(7);
    }

    @Test
    void anIterationThatKeepsExpiringFailsAfterTheAllowedRestarts() throws Exception {
        startWithIssues(Fault.expireIteration().onTable(TABLE).onPage(2).always());

        Map<String, Object> doc = runAndTime();

        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message")).startsWith("table 'People' page 2: Airtable's iteration expired")
                .contains("LIST_RECORDS_ITERATOR_NOT_AVAILABLE").contains("already restarted 2 times");
        assertThat(counters(doc)).containsEntry("iterator_restarts", 2L);
        assertThat(airtable.requestsForTable(TABLE)).extracting(AirtableDoubleRequest::page)
                .containsExactly(1, 2, 1, 2, 1, 2);
        assertThat(map(doc, "table_results", TABLE)).containsEntry("finished", false).containsEntry("records", 100L);
        assertThat(map(doc, "table_results", TABLE, "issues_by_rule")).containsEntry("unique:Email", 0L);
        assertQuickFromPage2();
    }

    // ------------------------------------------------------------------ permanent rejections

    @Test
    void a401FailsAtOnceWithTokenRejected() throws Exception {
        loadCleanTable();
        startRunner(PEOPLE, p -> p.getAirtable().setToken("patWRONGTOKEN.00000000000000000000000000000000"));
        Map<String, Object> doc = runAndTime();

        assertRejectedAtOnce(doc, "Airtable token rejected (HTTP 401 AUTHENTICATION_REQUIRED")
                .contains("check AIRTABLE_TOKEN").contains("table 'People' page 1").doesNotContain("patWRONGTOKEN");
        assertThat(counters(doc)).containsEntry("requests", 1L).containsEntry("retries", 0L);
    }

    @Test
    void a403FailsAtOnceNamingTheBase() throws Exception {
        loadCleanTable();
        airtable.forbidBase(TestSettings.BASE);

        Map<String, Object> doc = run();

        assertRejectedAtOnce(doc, "Airtable token lacks access to base " + TestSettings.BASE + " (HTTP 403");
    }

    @Test
    void a404FailsAtOnceNamingTableAndBase() throws Exception {
        loadCleanTable();
        startRunner(List.of(new TableSpec("Peeple", List.of(RuleSpec.required("Name")))));
        Map<String, Object> doc = runAndTime();

        assertRejectedAtOnce(doc,
                "Table 'Peeple' not found in base " + TestSettings.BASE + " (HTTP 404 TABLE_NOT_FOUND");
    }

    @Test
    void aFailureOnOneTableStopsTheOtherTablesAndReportsTheFirstCause() throws Exception {
        loadCleanTable();
        airtable.addTable(TestSettings.BASE, "Other", Records.of('O', 2000, i -> fields("Name", "o" + i)));
        airtable.fault(Fault.slow(Duration.ofMillis(200)).onTable("Other").always());
        airtable.fault(Fault.status(500).onTable(TABLE).onPage(2).always());
        startRunner(List.of(new TableSpec(TABLE, List.of(RuleSpec.required("Name"))),
                new TableSpec("Other", List.of(RuleSpec.required("Name")))));

        Map<String, Object> doc = runAndTime();

        assertThat(doc.get("status")).isEqualTo("error");
        assertThat((String) doc.get("error_message")).startsWith("table 'People' page 2: failed after 3 attempts");
        assertThat(map(doc, "table_results", "Other")).containsEntry("finished", false);
        assertThat(airtable.requestsForTable("Other").size()).as("Other stopped early").isLessThan(20);
        assertQuickFromPage2();
    }
}
