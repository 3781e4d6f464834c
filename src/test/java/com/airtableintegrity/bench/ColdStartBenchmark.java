package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static com.airtableintegrity.bench.IntegrityBenchmark.median;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;
import static com.airtableintegrity.bench.IntegrityBenchmark.verdict;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.ColdStart;
import com.airtableintegrity.support.CpuHog;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.TestSettings;

/**
 * Figures 10 and 11 of {@link IntegrityBenchmark}: cold starts as an operator makes them ({@link ColdStart}: a fresh
 * {@code java -jar} of the packaged runner, 3 tables of 2,000 records in parallel at 5 req/s, the double counting
 * arrivals in a strict 1 s window with a 30 s penalty). Figure 10: 10 starts with every core kept busy by a CPU hog
 * for the whole run. Figure 11: starts whose arrivals the double counts 0-150 ms late, drawn at random per request.
 */
final class ColdStartBenchmark {
    private static final int HOGGED_STARTS = 10;
    private static final int JITTER_STARTS = 3;
    private static final double BOUND_S = 60 / 5.0;

    private final IntegrityBenchmark bench;

    ColdStartBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    void busyMachine() throws Exception {
        List<ColdStart.Outcome> outcomes;
        try (CpuHog hog = new CpuHog()) {
            outcomes = starts(HOGGED_STARTS, Duration.ZERO, "busy");
        }
        rows("10. " + HOGGED_STARTS + " fresh java -jar starts, every core kept busy by a CPU hog for the whole run; "
                + "3 × 2000 records in parallel at 5 req/s; double: strict 1 s arrival window, 30 s penalty", outcomes);
    }

    void arrivalJitter() throws Exception {
        rows("11. " + JITTER_STARTS + " fresh java -jar starts; the double counts each arrival 0-150 ms late (random "
                + "per request); otherwise as 10", starts(JITTER_STARTS, Duration.ofMillis(150), "jitter"));
    }

    private List<ColdStart.Outcome> starts(int n, Duration jitter, String label) throws Exception {
        List<ColdStart.Outcome> outcomes = new ArrayList<>();
        EmulatorRuns runs = new EmulatorRuns(bench.emulator);
        try (AirtableDouble airtable = AirtableDouble.start(TestSettings.TOKEN)) {
            ColdStart.prepare(airtable);
            airtable.rateLimitArrivalDelay(jitter);
            for (int i = 1; i <= n; i++) {
                ColdStart.Outcome o = ColdStart.once(airtable, bench.emulator, runs, "bench-cold-" + label + "-" + i);
                System.out.printf(Locale.ROOT, "  %s start %d: %s, %d records, %d x 429, max %d arrivals in 1 s, run "
                        + "%.2f s%n", label, i, o.status(), o.records(), o.rateLimited(), o.maxInOneSecond(), o.runSeconds());
                outcomes.add(o);
            }
        }
        return outcomes;
    }

    private void rows(String scenario, List<ColdStart.Outcome> outcomes) {
        long clean = outcomes.stream().filter(o -> o.rateLimited() == 0).count();
        List<Double> n429 = outcomes.stream().map(o -> (double) o.rateLimited()).toList();
        List<Double> ratio = outcomes.stream().map(o -> o.runSeconds() / BOUND_S).toList();
        bench.row(scenario, "starts with 0 × 429", clean + " of " + outcomes.size(),
                outcomes.size() + " " + verdict(clean == outcomes.size()));
        bench.row("", "429 answers per start", stat(n429, 0), "0");
        bench.row("", "run time / bound (" + fmt(BOUND_S, 1) + " s), cold JVM", stat(ratio, 3) + " ×",
                "≤ 1.15 × " + verdict(median(ratio) <= 1.15));
        bench.row("", "max arrivals of the base in any 1 s (the double's log)",
                stat(outcomes.stream().map(o -> (double) o.maxInOneSecond()).toList(), 0), "≤ 5");
    }
}
