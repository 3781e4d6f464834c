package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static com.airtableintegrity.bench.IntegrityBenchmark.mb;
import static com.airtableintegrity.bench.IntegrityBenchmark.median;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;
import static com.airtableintegrity.bench.IntegrityBenchmark.verdict;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.diff.IssueIdentities;
import com.airtableintegrity.diff.RunDiff;
import com.airtableintegrity.rules.Issue;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.RunHistory;
import com.airtableintegrity.store.IssueStates;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.TestSettings;
import com.airtableintegrity.wiring.RunnerFactory;
import com.google.cloud.firestore.Firestore;

/**
 * Figure 13 of {@link IntegrityBenchmark}: the run-to-run diff on 5 tables × 10,000 records with one required rule
 * ({@link BenchData#plantedRecords}). Run 1 finds 20,000 issues; the double's data then changes so that 500 are fixed
 * and 300 new ones appear, and run 2's document must say exactly that (else the figure throws, naming the numbers).
 * <p>
 * The diff cannot be turned off (and no switch is added for a benchmark), so "the same scan without it" is run 2's
 * wall time minus the diff's own time, and the diff's own time is its steps replayed one by one through the public
 * APIs on run 2's own inputs: the baseline read (timed right after run 1, when the chain names run 1, exactly as run
 * 2's start reads it), identity collection, {@link RunHistory#compare} with the baseline run 2 used, the stored issues'
 * state fields, the resolved issues' write, and the state's preparation and write (the same documents, to the same
 * ids). The live heap those steps' results hold together at the close (identities, baseline, diff, prepared state)
 * is the diff's extra heap, measured in a second pass with a full GC around each step (after a small Firestore read,
 * see {@link #settle}).
 */
final class DiffBenchmark {
    private static final String IDENTITIES = "identity collection (IssueIdentities.add per issue)";
    private static final String BASELINE = "baseline read (IssueStates.load at the run's start)";
    private static final String COMPARE = "compare (RunHistory.compare: RunDiff over every issue)";
    private static final String ISSUE_FIELDS = "state fields of the stored issues (RunHistory.issueFields; with "
            + "the record link, which is not the diff's)";
    private static final String RESOLVED = "resolved issues written (RunHistory.storeResolved)";
    private static final String PREPARE = "state encoded (IssueStates.prepare)";
    private static final String WRITE = "state written (in the run: inside the terminal commit when small)";

    private static final String COLLECTION = "bench_fig13";

    private final IntegrityBenchmark bench;

    DiffBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    void changedIssues() throws Exception {
        int tables = 5;
        int records = 10_000 / bench.scale;
        int defective = 4_000 / bench.scale;
        int fixed = Math.max(1, 100 / bench.scale);
        int broken = Math.max(1, 60 / bench.scale);
        long found1 = (long) tables * defective;
        long resolved = (long) tables * fixed;
        long added = (long) tables * broken;
        long persisting = found1 - resolved;
        List<Double> wall = new ArrayList<>();
        List<Double> own = new ArrayList<>();
        List<Double> share = new ArrayList<>();
        List<Double> peakUsed = new ArrayList<>();
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        Map<String, List<Double>> held = new LinkedHashMap<>();
        Replay last = null;
        try (RemoteDouble d = bench.startDouble(); HeapMonitor heap = new HeapMonitor()) {
            IntegrityProperties p = bench.props(d, BenchData.requiredName(tables));
            p.getFirestore().setCollection(COLLECTION);
            try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
                RunCollection collection = new RunnerFactory(p).runCollection(runner.firestore());
                IssueStates states = new IssueStates(collection);
                RunHistory history = new RunHistory(states, new IssueWriter(collection), p.getIssues().getMaxStored());
                Runnable settle = settle(runner.firestore());
                for (int round = 0; round <= bench.runs; round++) {
                    d.command("planted " + tables + " " + records + " " + defective + " 0 0");
                    String run1 = runner.runNow();
                    Map<String, Object> doc1 = runner.reads().read(run1);
                    expect(doc1, "round " + round + " run 1", "issues_found", found1);
                    Map<String, Double> loadMs = new LinkedHashMap<>();
                    Map<String, Double> loadBytes = new LinkedHashMap<>();
                    loadBaseline(states, run1, new Steps(null, loadMs));
                    loadBaseline(states, run1, new Steps(settle, loadBytes));

                    d.command("planted " + tables + " " + records + " " + defective + " " + fixed + " " + broken);
                    heap.start(0);
                    long t0 = System.nanoTime();
                    Exchange done = runner.runExchange(null);
                    double w = (System.nanoTime() - t0) / 1e9;
                    HeapMonitor.Result h = heap.stop();
                    RunContext run = done.getProperty(RunExchange.RUN, RunContext.class);
                    Map<String, Object> doc2 = runner.reads().read(run.runId());
                    expectDiff(doc2, "round " + round + " run 2 (" + fixed + " fixed, " + broken + " new per table)",
                            found1 - resolved + added, added, persisting, resolved, 0, run1);
                    Replay timed = replay(done, history, states, doc2, new Steps(null, loadMs));
                    Replay sized = replay(done, history, states, doc2, new Steps(settle, loadBytes));
                    double ownMs = loadMs.values().stream().mapToDouble(Double::doubleValue).sum();
                    System.out.printf(Locale.ROOT, "  diff round %d: run 2 %s, %.3f s, diff's own %.1f ms "
                                    + "%s, held %.1f MB %s, state %d documents %d bytes%n", round, doc2.get("status"), w,
                            ownMs, loadMs, loadBytes.values().stream().mapToDouble(Double::doubleValue).sum() / 1048576.0,
                            loadBytes, sized.documents, sized.bytes);
                    if (round == 0) {
                        continue; // warm-up
                    }
                    wall.add(w);
                    own.add(ownMs);
                    share.add(ownMs / (w * 1000 - ownMs) * 100);
                    peakUsed.add((double) h.peakUsedBytes());
                    loadMs.forEach((k, v) -> ms.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    loadBytes.forEach((k, v) -> held.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                    last = Objects.requireNonNull(timed);
                }
            }
        }
        List<Double> heldTotal = new ArrayList<>();
        for (int i = 0; i < wall.size(); i++) {
            final int n = i;
            heldTotal.add(held.values().stream().mapToDouble(l -> l.get(n)).sum());
        }
        String what = "13. Run-to-run diff, " + tables + " × " + fmt(records, 0) + " records, one required rule: run 1 finds "
                + fmt(found1, 0) + " issues; run 2: " + resolved + " fixed, " + added + " new; unthrottled; rounds: "
                + wall.size() + ", after 1 warm-up";
        bench.row(what, "run 2's document: issues_new / issues_resolved / issues_persisting / baseline_run_id",
                added + " / " + resolved + " / " + fmt(persisting, 0) + " / run 1, in " + wall.size() + " of "
                        + wall.size() + " rounds", "exact " + verdict(true));
        bench.row("", "run 2 wall time (runNow, with the diff)", stat(wall, 3) + " s", "—");
        bench.row("", "the diff's own time (its steps replayed on run 2's inputs, summed)", stat(own, 1) + " ms", "—");
        ms.forEach((step, v) -> bench.row("", "… " + step, stat(v, 1) + " ms", "—"));
        bench.row("", "the diff's extra run time: own time / (run 2 wall − own time)", stat(share, 2) + " %",
                "≤ 10 % " + verdict(median(share) <= 10));
        bench.row("", "the diff's extra live heap at the close (its results held together, full GC after each step)",
                mb(heldTotal), "≤ 20 MB " + verdict(median(heldTotal) <= 20 * 1048576.0));
        for (String step : List.of(IDENTITIES, BASELINE, COMPARE, PREPARE)) {
            bench.row("", "… " + step, mb(held.get(step)), "—");
        }
        bench.row("", "run 2 peak heap used, whole run (sampled every 2 ms, garbage included)", mb(peakUsed), "—");
        bench.row("", "run 2's issue state in Firestore: documents / entries / bytes (prepared sizes)",
                last.documents + " / " + fmt(last.entries, 0) + " / " + fmt(last.bytes, 0) + " B ("
                        + (last.inline ? "inline in the terminal commit" : "written ahead") + ")", "—");
    }

    /** The baseline read run 2's start does: the chain's latest run, which must be {@code run1}. */
    private static void loadBaseline(IssueStates states, String run1, Steps steps) {
        IssueStates.Baseline b = states.load(IssueStates.chain(null), TestSettings.BASE);
        steps.done(BASELINE);
        if (!(b instanceof IssueStates.Found f) || !run1.equals(f.state().runId())) {
            throw new IllegalStateException("the baseline read after run " + run1 + " gave " + b);
        }
        Reference.reachabilityFence(b);
    }

    private record Replay(long documents, long entries, long bytes, boolean inline) {
    }

    /** Replays run 2's diff steps after its close (see the class comment); each step is timed or sized by steps. */
    private static Replay replay(Exchange done, RunHistory history, IssueStates states, Map<String, Object> doc,
                                 Steps steps) {
        RunContext run = done.getProperty(RunExchange.RUN, RunContext.class);
        IssueStates.Baseline baseline = done.getProperty(RunExchange.BASELINE, IssueStates.Baseline.class);
        steps.start();
        IssueIdentities identities = new IssueIdentities();
        for (String table : run.tables()) {
            for (String key : run.rules().table(table).counts().keySet()) {
                String rule = key.substring(0, key.indexOf(':'));
                String field = key.substring(key.indexOf(':') + 1);
                for (String id : run.issues().identities().records(table, key)) {
                    // a deep copy of the id (new String(String) would share its bytes): in the run, the
                    // identities are what keeps the parsed id alive
                    identities.add(new Issue(table, new String(id.toCharArray()), field, rule, null, null));
                }
            }
        }
        steps.done(IDENTITIES);
        Map<String, Object> fields = new LinkedHashMap<>();
        RunDiff diff = history.compare(run, baseline, new HashSet<>(run.tables()), fields);
        steps.done(COMPARE);
        for (Issue issue : run.issues().kept()) {
            RunHistory.issueFields(run, diff, issue);
        }
        steps.done(ISSUE_FIELDS);
        history.storeResolved(run, diff, fields);
        steps.done(RESOLVED);
        IssueStates.Prepared prepared = states.prepare(diff.next());
        steps.done(PREPARE);
        states.writeAhead(prepared); // the documents the run wrote, to the same ids
        steps.done(WRITE);
        for (String f : List.of("issues_new", "issues_resolved", "issues_persisting", "issues_first_run",
                "issues_resolved_stored")) {
            if (!Objects.equals(fields.get(f), doc.get(f))) {
                throw new IllegalStateException("the replayed diff of run " + run.runId() + " says " + f + " "
                        + fields.get(f) + ", its document " + doc.get(f));
            }
        }
        Reference.reachabilityFence(identities);
        Reference.reachabilityFence(diff);
        Reference.reachabilityFence(prepared);
        return new Replay(prepared.documents().size(), prepared.manifest().entries(), prepared.bytes(),
                prepared.inline());
    }

    /**
     * A small Firestore read. The Firestore client keeps its last response until its next call (a 20,000-entry
     * baseline read stays reachable from it, strings and all, until then); in the run, later calls release it, so a
     * heap figure here is taken after this.
     */
    private static Runnable settle(Firestore firestore) {
        return () -> {
            try {
                firestore.collection(COLLECTION).document("settle").get().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the settling read of " + COLLECTION + "/settle was interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the settling read of " + COLLECTION + "/settle failed: " + e, e);
            }
        };
    }

    /**
     * Times steps one after another ({@code settle} null), or the live heap each step's result adds (after a settling
     * Firestore read and a full GC).
     */
    private static final class Steps {
        private final Runnable settle;
        private final Map<String, Double> into;
        private long mark;

        Steps(Runnable settle, Map<String, Double> into) {
            this.settle = settle;
            this.into = into;
            start();
        }

        void start() {
            mark = now();
        }

        void done(String step) {
            long now = now();
            into.put(step, settle != null ? (double) (now - mark) : (now - mark) / 1e6);
            mark = now();
        }

        private long now() {
            if (settle == null) {
                return System.nanoTime();
            }
            settle.run();
            return HeapMonitor.liveNow();
        }
    }

    /**
     * Checks a run document's diff: status warning, every table finished, the counts, the baseline run, and a state
     * of one entry per issue; throws naming every number that differs.
     */
    static void expectDiff(Map<String, Object> doc, String label, long found, long newIssues, long persisting,
                           long resolved, long firstRun, String baselineRunId) {
        expect(doc, label, "issues_found", found, "issues_new", newIssues, "issues_persisting", persisting,
                "issues_resolved", resolved, "issues_first_run", firstRun, "baseline_run_id", baselineRunId,
                "unfinished_tables", List.of(), "issue_state.entries", found);
    }

    /** Checks {@code status: warning} and each field (a dotted name reads a map field) against its expected value. */
    static void expect(Map<String, Object> doc, String label, Object... expected) {
        StringBuilder wrong = new StringBuilder();
        if (!"warning".equals(doc.get("status"))) {
            wrong.append(" status ").append(doc.get("status")).append(" (expected warning: ")
                    .append(doc.get("error_message")).append(");");
        }
        for (int i = 0; i < expected.length; i += 2) {
            String field = (String) expected[i];
            Object value = doc;
            for (String part : field.split("\\.")) {
                value = value instanceof Map<?, ?> m ? m.get(part) : null;
            }
            Object want = expected[i + 1];
            boolean same = want instanceof Number n && value instanceof Number v ? n.longValue() == v.longValue()
                    : Objects.equals(want, value);
            if (!same) {
                wrong.append(' ').append(field).append(' ').append(value).append(" (expected ").append(want)
                        .append(");");
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(label + ", run " + doc.get("run_id") + ":" + wrong);
        }
    }
}
