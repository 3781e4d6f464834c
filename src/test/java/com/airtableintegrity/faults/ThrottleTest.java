package com.airtableintegrity.faults;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;

/**
 * The proactive throttle: at most requests-per-second requests per base in any 1 s window, across all tables
 * scanned in parallel, so that Airtable's own limit (5/s per base, then a 30 s penalty) is never hit.
 */
class ThrottleTest extends RunnerTestBase {

    private static final List<String> TABLES = List.of("Alpha", "Beta", "Gamma");

    @Test
    void threeTablesInParallelNeverExceedFiveRequestsPerSecondForTheBaseAndGetNo429() throws Exception {
        // 3 tables x 4 pages = 12 requests; the double enforces Airtable's limit: a 6th request in 1 s is a 429
        // and a 30 s penalty, far longer than this test may take.
        for (int t = 0; t < TABLES.size(); t++) {
            char prefix = (char) ('A' + t);
            airtable.addTable(TestSettings.BASE, TABLES.get(t), Records.of(prefix, 350, i -> fields("Name", "n" + i)));
        }
        airtable.rateLimit(5, Duration.ofSeconds(30));
        startRunner(TABLES.stream().map(name -> new TableSpec(name, List.of(RuleSpec.required("Name")))).toList(),
                p -> {
                    p.getAirtable().setRequestsPerSecond(5);
                    p.getAirtable().setRequestTimeoutSeconds(3);
                });

        long t0 = System.nanoTime();
        Map<String, Object> doc = doc(runner.runNow());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        System.out.printf("ELAPSED threeTables: %d ms (requests over %d ms), max in 1 s window %d, throttle wait %s ms%n",
                elapsedMs, requestSpanMs(),
                airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1)),
                map(doc, "counters").get("throttle_wait_ms"));
        assertThat(doc.get("status")).isEqualTo("success");
        assertThat(doc.get("records_scanned")).isEqualTo(1050L);
        assertThat(airtable.requestsForBase(TestSettings.BASE)).hasSize(12).allMatch(r -> r.status() == 200);
        assertThat(airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1)))
                .as("requests in any 1 s window").isLessThanOrEqualTo(5);
        Map<String, Object> counters = map(doc, "counters");
        assertThat(counters).containsEntry("rate_limited_429", 0L).containsEntry("requests", 12L)
                .containsEntry("pages", 12L).containsEntry("retries", 0L);
        assertThat((Long) counters.get("throttle_wait_ms")).as("time spent waiting on the throttle")
                .isGreaterThan(1000L);
        // 12 requests at 5 per 1.05 s: the third batch cannot start before 2.1 s
        assertThat(requestSpanMs()).as("ms from the first to the last request").isGreaterThanOrEqualTo(2000L);
        assertThat(elapsedMs).as("elapsed ms").isLessThan(6000L);
    }

    @Test
    void theThrottleIsPerBaseNotPerTable() throws Exception {
        // 3 tables x 2 pages = 6 requests: unthrottled, all 6 would go out within a few ms
        for (int t = 0; t < TABLES.size(); t++) {
            airtable.addTable(TestSettings.BASE, TABLES.get(t), Records.of((char) ('A' + t), 150, i -> fields("Name", "n")));
        }
        startRunner(TABLES.stream().map(name -> new TableSpec(name, List.of(RuleSpec.required("Name")))).toList(),
                p -> p.getAirtable().setRequestsPerSecond(2));

        long t0 = System.nanoTime();
        Map<String, Object> doc = doc(runner.runNow());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        System.out.printf("ELAPSED perBase: %d ms (requests over %d ms), max in 1 s window %d%n", elapsedMs,
                requestSpanMs(),
                airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1)));
        assertThat(doc.get("status")).isEqualTo("success");
        assertThat(airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1))).isLessThanOrEqualTo(2);
        // 6 requests at 2 per 1.05 s: the last pair cannot start before 2.1 s
        assertThat(requestSpanMs()).as("ms from the first to the last request").isGreaterThanOrEqualTo(2000L);
        assertThat(elapsedMs).as("elapsed ms").isLessThan(6000L);
    }

    @Test
    void runsOfTwoBasesGoSideBySideEachUnderItsOwnFivePerSecond() throws Exception {
        // 2 bases x 1 table x 10 pages; the double enforces Airtable's limit per base (a 6th request in 1 s is a 429)
        String otherBase = "appOTHERBASE00001";
        airtable.addTable(TestSettings.BASE, "Alpha", Records.of('A', 1000, i -> fields("Name", "a" + i)));
        airtable.addTable(otherBase, "Omega", Records.of('O', 1000, i -> fields("Name", "o" + i)));
        airtable.rateLimit(5, Duration.ofSeconds(30));
        List<TableSpec> alpha = List.of(new TableSpec("Alpha", List.of(RuleSpec.required("Name"))));
        startRunner(alpha, p -> p.getAirtable().setRequestsPerSecond(5));

        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> runner.runNow());
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> runner.run(
                new ScanPlan(otherBase, List.of(new TableSpec("Omega", List.of(RuleSpec.required("Name")))))));
        Map<String, Object> alphaRun = doc(first.get(60, TimeUnit.SECONDS));
        Map<String, Object> omegaRun = doc(second.get(60, TimeUnit.SECONDS));

        assertThat(alphaRun).containsEntry("status", "success").containsEntry("base_id", TestSettings.BASE)
                .containsEntry("tables", List.of("Alpha")).containsEntry("records_scanned", 1000L);
        assertThat(omegaRun).containsEntry("status", "success").containsEntry("base_id", otherBase)
                .containsEntry("tables", List.of("Omega")).containsEntry("records_scanned", 1000L);
        assertThat(airtable.requests()).hasSize(20).allMatch(r -> r.status() == 200);
        for (String base : List.of(TestSettings.BASE, otherBase)) {
            assertThat(airtable.maxRequestsInAnyWindow(base, Duration.ofSeconds(1))).as(base).isLessThanOrEqualTo(5);
        }
        // side by side: the other base's first request came before this base's last one
        assertThat(airtable.requestsForBase(otherBase).get(0).arrivalNanos())
                .isLessThan(airtable.requestsForBase(TestSettings.BASE).get(9).arrivalNanos());
    }

    @Test
    void aRunOfAnotherRunnerRightAfterOneEndedKeepsTheBaseWithinFivePerSecond() throws Exception {
        // 1 table x 10 pages: a run sends 5 requests, then 5 more 1.05 s later, and ends; each runner's throttle
        // counts only its own requests, so a run of a second runner starting at once would add its first 5 to the
        // same 1 s window of Airtable's (a 429 and a 30 s penalty)
        airtable.addTable(TestSettings.BASE, "Alpha", Records.of('A', 1000, i -> fields("Name", "a" + i)));
        airtable.rateLimit(5, Duration.ofSeconds(30));
        List<TableSpec> alpha = List.of(new TableSpec("Alpha", List.of(RuleSpec.required("Name"))));
        startRunner(alpha, p -> p.getAirtable().setRequestsPerSecond(5));
        IntegrityProperties other = TestSettings.of(airtable, EMULATOR, alpha);
        other.getRun().setRunnerId("runner-b");
        other.getAirtable().setRequestsPerSecond(5);

        try (CamelRunner second = CamelRunner.start(other)) {
            Map<String, Object> firstRun = doc(runner.runNow());
            Map<String, Object> secondRun = doc(second.runNow());

            assertThat(firstRun).containsEntry("status", "success").containsEntry("records_scanned", 1000L);
            assertThat(secondRun).containsEntry("status", "success").containsEntry("records_scanned", 1000L);
        }
        assertThat(airtable.requests()).hasSize(20).allMatch(r -> r.status() == 200);
        assertThat(airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1)))
                .as("requests in any 1 s window").isLessThanOrEqualTo(5);
    }

    @Test
    void allBasesTogetherStayWithinTheTokensLimit() throws Exception {
        // 3 bases x (1 schema request + 6 pages), each base allowed 1000 per period but the token only 4: 21 requests
        // take 5 periods (table T has no rule field, so each run first reads its base's schema for T's primary field)
        List<String> bases = List.of(TestSettings.BASE, "appSECONDBASE0001", "appTHIRDBASE00001");
        for (String base : bases) {
            airtable.addTable(base, "T", Records.of('T', 600, i -> fields("Name", "t" + i)));
        }
        startRunner(List.of(new TableSpec("T", List.of())), p -> p.getAirtable().setTokenRequestsPerSecond(4));

        List<CompletableFuture<String>> runs = bases.stream().map(base -> CompletableFuture.supplyAsync(
                () -> runner.run(new ScanPlan(base, List.of(new TableSpec("T", List.of())))))).toList();
        for (CompletableFuture<String> run : runs) {
            assertThat(doc(run.get(60, TimeUnit.SECONDS))).containsEntry("status", "success")
                    .containsEntry("records_scanned", 600L);
        }

        assertThat(airtable.requests()).hasSize(21);
        assertThat(airtable.requests()).filteredOn(r -> r.schema()).hasSize(3);
        List<Long> arrivals = airtable.requests().stream().map(r -> r.arrivalNanos()).sorted().toList();
        for (int i = 4; i < arrivals.size(); i++) {
            assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 4)))
                    .as("ms between request %d and request %d of the token", i - 4, i).isGreaterThanOrEqualTo(1000L);
        }
    }

    private long requestSpanMs() {
        var requests = airtable.requests();
        return TimeUnit.NANOSECONDS.toMillis(requests.get(requests.size() - 1).arrivalNanos()
                - requests.get(0).arrivalNanos());
    }
}
