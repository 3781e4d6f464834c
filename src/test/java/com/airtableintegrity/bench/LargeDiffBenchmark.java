package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static com.airtableintegrity.bench.IntegrityBenchmark.mb;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;
import static com.airtableintegrity.bench.IntegrityBenchmark.verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.store.IssueStates;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.TestSettings;
import com.airtableintegrity.wiring.RunnerFactory;

/**
 * Figure 14 of {@link IntegrityBenchmark}: 500,000 issues under {@code -Xmx256m}. 5 tables × 100,000 records, every
 * record failing the one required rule ({@link BenchData#plantedRecords} with all records defective). Run 1 has no
 * baseline (all {@code first_run}) and writes a 500,000-entry state; each later run must diff exactly against the one
 * before (500,000 persisting). The timed runs sample the heap without forcing GCs; a last diff run forces a full GC
 * every 250 ms for the peak live heap. A run that fails or miscounts (an OutOfMemoryError ends it {@code error}) is
 * reported MISSED with the heap measured so far and a class histogram, and the benchmark goes on.
 */
final class LargeDiffBenchmark {
    private static final long FORCED_GC_MILLIS = 250;

    private final IntegrityBenchmark bench;

    LargeDiffBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    /** One run's figures. */
    private record Measured(String runId, double wallSeconds, HeapMonitor.Result heap) {
    }

    void halfMillionIssues() throws Exception {
        int tables = 5;
        int records = 100_000 / bench.scale;
        long issues = (long) tables * records;
        String what = "14. " + fmt(issues, 0) + " issues: " + tables + " × " + fmt(records, 0) + " records, each "
                + "failing required Name; run 1 without a baseline, then runs diffing against the one before; "
                + "benchmark JVM -Xmx256m; unthrottled";
        Measured first = null;
        List<Measured> diffs = new ArrayList<>();
        Measured probe = null;
        String step = "starting";
        try (RemoteDouble d = bench.startDouble(); HeapMonitor heap = new HeapMonitor()) {
            d.command("planted " + tables + " " + records + " " + records + " 0 0");
            IntegrityProperties p = bench.props(d, BenchData.requiredName(tables));
            p.getFirestore().setCollection("bench_fig14");
            try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
                step = "run 1";
                first = measure(runner, heap, 0);
                DiffBenchmark.expectDiff(runner.reads().read(first.runId), "run 1 (no baseline)", issues, 0, 0, 0,
                        issues, null);
                String previous = first.runId;
                for (int i = 0; i <= bench.runs; i++) {
                    boolean last = i == bench.runs;
                    step = last ? "the forced-GC probe run" : "diff run " + (i + 1);
                    Measured m = measure(runner, heap, last ? FORCED_GC_MILLIS : 0);
                    DiffBenchmark.expectDiff(runner.reads().read(m.runId), step, issues, 0, issues, 0, 0, previous);
                    previous = m.runId;
                    if (last) {
                        probe = m;
                    } else {
                        diffs.add(m);
                    }
                }
                step = "reading the state back";
                stateRows(what, p, runner, first, diffs, probe, issues);
            }
        } catch (Exception | OutOfMemoryError e) {
            System.out.println("  14 FAILED at " + step + ": " + e);
            IntegrityBenchmark.histogram();
            List<Measured> all = new ArrayList<>(diffs);
            if (first != null) {
                all.add(first);
            }
            bench.row(what, "runs end warning with exact counts, the second diffing exactly",
                    "failed at " + step + ": " + e.getMessage() + (all.isEmpty() ? "" : "; peak heap used before: "
                            + mb(all.stream().map(m -> (double) m.heap.peakUsedBytes()).toList())),
                    "exact under -Xmx256m " + verdict(false));
        }
    }

    private Measured measure(CamelRunner runner, HeapMonitor heap, long forceGcMillis) {
        HeapMonitor.liveNow();
        heap.start(forceGcMillis);
        long t0 = System.nanoTime();
        String runId;
        HeapMonitor.Result h;
        try {
            runId = runner.runNow();
        } finally {
            h = heap.stop();
        }
        Measured m = new Measured(runId, (System.nanoTime() - t0) / 1e9, h);
        System.out.printf(Locale.ROOT, "  large-diff run %s: %.3f s, peak used %.1f MB, max after GC %.1f MB, %d GCs %d ms%s%n",
                runId, m.wallSeconds, h.peakUsedBytes() / 1048576.0, h.peakLiveBytes() / 1048576.0, h.gcs(),
                h.gcMillis(), forceGcMillis > 0 ? " (full GC forced every " + forceGcMillis + " ms)" : "");
        return m;
    }

    private void stateRows(String what, IntegrityProperties p, CamelRunner runner, Measured first,
                           List<Measured> diffs, Measured probe, long issues) {
        IssueStates states = new IssueStates(new RunnerFactory(p).runCollection(runner.firestore()));
        IssueStates.Baseline b = states.load(IssueStates.chain(null), TestSettings.BASE);
        if (!(b instanceof IssueStates.Found found) || !probe.runId.equals(found.state().runId())) {
            throw new IllegalStateException("the chain's state after run " + probe.runId + " reads back as " + b);
        }
        IssueStates.Prepared state = states.prepare(found.state());
        List<Double> diffWall = diffs.stream().map(Measured::wallSeconds).toList();
        bench.row(what, "run 1: status / issues_found / issues_first_run; then issues_persisting of each diff run "
                + "(baseline = the run before, new 0, resolved 0)", "warning / " + fmt(issues, 0) + " / "
                + fmt(issues, 0) + "; " + fmt(issues, 0) + " in " + (diffs.size() + 1) + " of " + (diffs.size() + 1)
                + " diff runs", "exact under -Xmx256m " + verdict(true));
        bench.row("", "run 1 wall time (no baseline; writes the state)", fmt(first.wallSeconds, 3) + " s", "—");
        bench.row("", "diff run wall time (reads the " + fmt(issues, 0) + "-entry baseline, diffs, writes its state)",
                stat(diffWall, 3) + " s", "—");
        bench.row("", "peak heap used, run 1 (sampled every 2 ms, garbage included)",
                mb(List.of((double) first.heap.peakUsedBytes())), "—");
        bench.row("", "peak heap used, diff runs (same)",
                mb(diffs.stream().map(m -> (double) m.heap.peakUsedBytes()).toList()), "—");
        bench.row("", "GC pauses in a diff run (count / total ms)",
                stat(diffs.stream().map(m -> (double) m.heap.gcs()).toList(), 0) + " / "
                        + stat(diffs.stream().map(m -> (double) m.heap.gcMillis()).toList(), 0) + " ms", "—");
        bench.row("", "peak live heap of a diff run (full GC forced every " + FORCED_GC_MILLIS + " ms; one run)",
                mb(List.of((double) probe.heap.peakLiveBytes())) + " of " + IntegrityBenchmark.maxHeapMb() + " MB",
                "—");
        bench.row("", "the state in Firestore: documents / entries / bytes (prepared sizes)",
                state.documents().size() + " / " + fmt(state.manifest().entries(), 0) + " / "
                        + fmt(state.bytes(), 0) + " B (" + (state.inline() ? "inline" : "written ahead") + ")", "—");
    }
}
