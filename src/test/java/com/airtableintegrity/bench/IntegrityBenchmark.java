package com.airtableintegrity.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.Timestamp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * The benchmark (not a test): starts the Airtable double (own JVM) and the Firestore emulator, runs real scans
 * through the real routes and prints a Markdown table, also written to {@code target/benchmark.md}.
 * <p>
 * Run with {@code bash bench/run.sh}. System properties: {@code bench.runs} (measured runs per figure, default 3),
 * {@code bench.scale} (divides record counts, for a quick smoke run; default 1), {@code bench.only} (comma list of
 * figures 1..14 to run; 6 and 7, several bases at once, are {@link MultiBaseBenchmark}, 8
 * {@link ScheduleStartupBenchmark}, 9 {@link ScheduleFiringBenchmark}, 10 and 11 {@link ColdStartBenchmark}, 12
 * {@link ProjectionBenchmark}, 13 {@link DiffBenchmark}, 14 {@link LargeDiffBenchmark}), {@code bench.table-threads} and
 * {@code bench.schedule-threads} (override {@code integrity.run.table-threads} and {@code integrity.schedule.threads}).
 */
public final class IntegrityBenchmark {
    private static final String BASE = TestSettings.BASE;
    private static final String TOKEN = TestSettings.TOKEN;
    private static final double DEADLINE_S = 5.0;

    final int runs = Integer.getInteger("bench.runs", 3);
    final int scale = Integer.getInteger("bench.scale", 1);
    private final String only = System.getProperty("bench.only", "1,2,3,4,5,6,7,8,9,10,11,12,13,14");
    final FirestoreEmulator emulator;
    private final Path outDir;
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private IntegrityBenchmark(FirestoreEmulator emulator, Path outDir) {
        this.emulator = emulator;
        this.outDir = outDir;
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Path outDir = Path.of(System.getProperty("user.dir"), "target");
        Files.createDirectories(outDir);
        System.out.println("Starting the Firestore emulator ...");
        FirestoreEmulator emulator = FirestoreEmulator.startNew();
        int code = 0;
        try {
            new IntegrityBenchmark(emulator, outDir).runAll();
        } catch (Throwable t) {
            t.printStackTrace();
            code = 1;
        } finally {
            emulator.stop();
        }
        System.exit(code);
    }

    private static void quietLogging() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        ((Logger) LoggerFactory.getLogger("com.airtableintegrity")).setLevel(Level.ERROR);
    }

    private boolean enabled(int figure) {
        return ("," + only + ",").contains("," + figure + ",");
    }

    private void runAll() throws Exception {
        if (enabled(1)) {
            throttled();
        }
        if (enabled(2) || enabled(3)) {
            throughputAndMemory();
        }
        if (enabled(4)) {
            deadline("never-answering", "never Stuck");
            deadline("dripping (1 byte / 200 ms)", "drip Stuck 200");
        }
        if (enabled(5)) {
            perPage();
        }
        MultiBaseBenchmark multi = new MultiBaseBenchmark(this);
        if (enabled(6)) {
            multi.concurrentThrottled();
        }
        if (enabled(7)) {
            multi.manyBases();
        }
        if (enabled(8)) {
            new ScheduleStartupBenchmark(this).startupWithSchedules();
        }
        if (enabled(9)) {
            new ScheduleFiringBenchmark(this).simultaneousFirings();
        }
        if (enabled(10)) {
            new ColdStartBenchmark(this).busyMachine();
        }
        if (enabled(11)) {
            new ColdStartBenchmark(this).arrivalJitter();
        }
        if (enabled(12)) {
            new ProjectionBenchmark(this).wideRecords();
        }
        if (enabled(13)) {
            new DiffBenchmark(this).changedIssues();
        }
        if (enabled(14)) {
            new LargeDiffBenchmark(this).halfMillionIssues();
        }
        print();
    }

    // ------------------------------------------------------------------------------------------ 1. throttled

    private void throttled() throws Exception {
        int tables = 3;
        int perTable = 2000 / scale;
        try (RemoteDouble d = startDouble()) {
            d.command("tables " + tables + " " + perTable + " true");
            IntegrityProperties p = props(d, BenchData.allRules(tables));
            p.getAirtable().setRequestsPerSecond(5); // the product default: 5 requests per 1050 ms per base
            p.getAirtable().setRateLimitWaitSeconds(30);
            int pages = tables * ((perTable + 99) / 100);
            double bound = pages / 5.0;
            String cold = "";
            List<Double> wall = new ArrayList<>();
            List<Double> span = new ArrayList<>();
            List<Double> r429 = new ArrayList<>();
            List<Double> maxWin = new ArrayList<>();
            List<Double> lag = new ArrayList<>();
            for (int i = 0; i < runs + 1; i++) {
                // a fresh runner per run (new CamelContext: new throttle state, HTTP client and connections), as
                // for an hourly run; run 1 is also the JVM's first (cold) run
                HttpTimes times = new HttpTimes();
                try (CamelRunner runner = CamelRunner.start(p, c -> c.getManagementStrategy().addEventNotifier(times))) {
                    d.command("ratelimit 5 30000"); // fresh windows and no penalty left from a previous run
                    d.command("clearlog");
                    Thread.sleep(1200);
                    long t0 = System.nanoTime();
                    String runId = runner.runNow();
                    double w = (System.nanoTime() - t0) / 1e9;
                    Map<String, Object> doc = runner.reads().read(runId);
                    List<RemoteDouble.Req> log = d.log();
                    long n429 = log.stream().filter(r -> r.status() == 429).count();
                    // send → arrival: from camel-http being entered (after the throttle) to the double reading the request
                    List<Long> sends = new ArrayList<>();
                    times.byExchange.values().forEach(l -> l.forEach(x -> sends.add(x[0])));
                    Collections.sort(sends);
                    List<Long> arrivals = log.stream().map(RemoteDouble.Req::arrivalNanos).sorted().toList();
                    double maxLag = 0;
                    for (int k = 0; k < Math.min(sends.size(), arrivals.size()); k++) {
                        maxLag = Math.max(maxLag, (arrivals.get(k) - sends.get(k)) / 1e6);
                    }
                    if (Boolean.getBoolean("bench.verbose") || n429 > 0) {
                        long first = log.get(0).arrivalNanos();
                        StringBuilder sb = new StringBuilder("    arrivals (ms from first, table/page/status):");
                        for (RemoteDouble.Req r : log) {
                            sb.append(String.format(Locale.ROOT, " %.0f %s/%d/%d;", (r.arrivalNanos() - first) / 1e6,
                                    r.table(), r.page(), r.status()));
                        }
                        sb.append("\n    camel-http entered (ms from first arrival):");
                        for (long x : sends) {
                            sb.append(String.format(Locale.ROOT, " %.0f", (x - first) / 1e6));
                        }
                        System.out.println(sb);
                    }
                    System.out.printf(Locale.ROOT, "  throttled run %d%s: %s, %.2f s, %d requests, %d x 429, max send→arrival %.0f ms, "
                                    + "records %s%n", i + 1, i == 0 ? " (cold JVM)" : "", doc.get("status"), w, log.size(), n429,
                            maxLag, doc.get("records_scanned"));
                    check(((Number) doc.get("records_scanned")).longValue() == (long) tables * perTable,
                            "throttled run scanned " + doc.get("records_scanned"));
                    if (i == 0) {
                        cold = String.format(Locale.ROOT, "%.2f s = %.3f × bound, %d × 429, max %d requests in 1 s, "
                                + "max send→arrival %.0f ms", w, w / bound, n429, maxInWindow(log, 1_000_000_000L), maxLag);
                        continue;
                    }
                    wall.add(w);
                    span.add((log.get(log.size() - 1).arrivalNanos() - log.get(0).arrivalNanos()) / 1e9);
                    r429.add((double) n429);
                    maxWin.add((double) maxInWindow(log, 1_000_000_000L));
                    lag.add(maxLag);
                }
            }
            List<Double> ratio = wall.stream().map(w -> w / bound).toList();
            row("1. Throttled scan, 5 req/s per base, " + tables + " × " + perTable + " records (" + pages
                            + " pages); bound = pages / 5 s = " + fmt(bound, 1) + " s",
                    "wall time of the run (runNow, open → terminal status in Firestore); " + runs + " runs, a fresh runner each, after 1 cold-JVM run", stat(wall, 2) + " s",
                    "—");
            row("", "wall / bound", stat(ratio, 3) + " ×", "≤ 1.03 × " + verdict(median(ratio) <= 1.03));
            row("", "first → last request at the double", stat(span, 2) + " s", "—");
            row("", "429 answers (double's real limit 5 req/s, 30 s penalty)", stat(r429, 0),
                    "0 " + verdict(Collections.max(r429) == 0));
            row("", "max requests in any 1 s window at the double", stat(maxWin, 0), "≤ 5 " + verdict(Collections.max(maxWin) <= 5));
            row("", "max lag camel-http entered → request arrives at the double", stat(lag, 0) + " ms", "—");
            row("", "the same, first run of a cold JVM (not in the medians above)", cold, "—");
        }
    }

    static int maxInWindow(List<RemoteDouble.Req> log, long windowNanos) {
        long[] t = log.stream().mapToLong(RemoteDouble.Req::arrivalNanos).sorted().toArray();
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < t.length; hi++) {
            while (t[hi] - t[lo] >= windowNanos) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ 2 + 3. throughput, memory

    private void throughputAndMemory() throws Exception {
        int tables = 5;
        int small = 10_000 / scale;
        int large = 50_000 / scale;
        try (RemoteDouble d = startDouble(); HeapMonitor heap = new HeapMonitor()) {
            d.command("tables " + tables + " " + small + " true");
            IntegrityProperties p = props(d, BenchData.allRules(tables));
            long baseline;
            List<double[]> fast = new ArrayList<>();
            List<double[]> probe10 = new ArrayList<>();
            List<double[]> probe50 = new ArrayList<>();
            try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
                for (int i = 0; i < 2; i++) {
                    scan(runner, heap, tables, small, 0, "warm-up " + (i + 1));
                }
                baseline = HeapMonitor.liveNow();
                for (int i = 0; i < Math.max(runs, 5); i++) {
                    fast.add(scan(runner, heap, tables, small, 0, "throughput " + (i + 1)));
                }
                if (Boolean.getBoolean("bench.histo")) {
                    histogram();
                }
                if (enabled(3)) {
                    for (int i = 0; i < runs; i++) {
                        probe10.add(scan(runner, heap, tables, small, 100, "memory probe 5x" + small + " " + (i + 1)));
                    }
                    d.command("tables " + tables + " " + large + " true");
                    for (int i = 0; i < runs; i++) {
                        probe50.add(scan(runner, heap, tables, large, 100, "memory probe 5x" + large + " " + (i + 1)));
                    }
                }
            }
            if (enabled(2)) {
                row("2. Unthrottled end-to-end, " + tables + " × " + small + " records, ~10% defective, all 5 rule types, "
                                + "issues stored (max 1000); throttle at its maximum (1000 req / 1050 ms)",
                        "records / s, whole run (runNow: open, fetch, parse, rules, issue + run writes to Firestore); "
                                + fast.size() + " runs after 2 warm-ups",
                        stat(col(fast, 0), 0), "≥ 30,000 " + verdict(median(col(fast, 0)) >= 30_000));
                row("", "run wall time", stat(col(fast, 1), 3) + " s", "—");
                row("", "peak heap used (sampled every 2 ms, garbage included)", mb(col(fast, 3)), "—");
            }
            if (enabled(3)) {
                row("3. Memory (benchmark JVM -Xmx" + maxHeapMb() + "m; double in its own JVM)",
                        "live heap before the runs (runner started, idle, after full GC)",
                        fmt(baseline / 1048576.0, 1) + " MB", "—");
                row("", "5 × " + small + ": peak live heap (max heap after GC, System.gc() forced every 100 ms)",
                        mb(col(probe10, 2)), "≤ 256 MB " + verdict(median(col(probe10, 2)) <= 256 * 1048576.0));
                row("", "5 × " + small + ": peak heap used (sampled, garbage included)", mb(col(probe10, 3)), "—");
                row("", "5 × " + small + ": the run's own growth (peak live − live heap right before the run)",
                        mb(diff(probe10, 2, 6)), "—");
                row("", "live heap left after each 5 × " + small + " run (full GC before the next run), growth per run, "
                        + "one long-lived runner", mb(retained(fast)), "0 " + verdict(median(retained(fast)) < 1048576));
                row("", "5 × " + large + ": peak live heap (same method)", mb(col(probe50, 2)),
                        "≤ 256 MB " + verdict(median(col(probe50, 2)) <= 256 * 1048576.0));
                row("", "5 × " + large + ": peak heap used (sampled, garbage included)", mb(col(probe50, 3)), "—");
                row("", "5 × " + large + ": the run's own growth (peak live − live heap right before the run)",
                        mb(diff(probe50, 2, 6)), "—");
                List<Double> perRecord = new ArrayList<>();
                for (int i = 0; i < Math.min(probe10.size(), probe50.size()); i++) {
                    perRecord.add(((probe50.get(i)[2] - probe50.get(i)[6]) - (probe10.get(i)[2] - probe10.get(i)[6]))
                            / (tables * (double) (large - small)));
                }
                row("", "per extra record: run's own growth, 5×" + large + " vs 5×" + small,
                        stat(perRecord, 0) + " B/record", "—");
                row("", "5 × " + large + ": records / s (with the forced GCs)", stat(col(probe50, 0), 0), "—");
                row("", "5 × " + large + ": GC pauses during the run (count / total ms)",
                        stat(col(probe50, 4), 0) + " / " + stat(col(probe50, 5), 0) + " ms", "—");
            }
        }
    }

    /** One run; returns {records/s, wall s, peak live bytes, peak used bytes, gcs, gc ms, live bytes before}. */
    private double[] scan(CamelRunner runner, HeapMonitor heap, int tables, int perTable, long forceGcMillis,
                          String label) throws Exception {
        long before = HeapMonitor.liveNow();
        heap.start(forceGcMillis);
        long t0 = System.nanoTime();
        String runId = runner.runNow();
        double wall = (System.nanoTime() - t0) / 1e9;
        HeapMonitor.Result h = heap.stop();
        Map<String, Object> doc = runner.reads().read(runId);
        long records = ((Number) doc.get("records_scanned")).longValue();
        long issues = ((Number) doc.get("issues_found")).longValue();
        System.out.printf(Locale.ROOT, "  %s: %s, %d records in %.3f s = %.0f records/s, %d issues (%s stored), "
                        + "live before %.1f MB, live peak %.1f MB, used peak %.1f MB, %d GCs%n", label, doc.get("status"), records, wall,
                records / wall, issues, doc.get("issues_stored"), before / 1048576.0, h.peakLiveBytes() / 1048576.0,
                h.peakUsedBytes() / 1048576.0, h.gcs());
        check("warning".equals(doc.get("status")), label + ": status " + doc.get("status"));
        check(records == (long) tables * perTable, label + ": records " + records);
        check(issues == tables * BenchData.expectedIssues(perTable), label + ": issues " + issues + " expected "
                + tables * BenchData.expectedIssues(perTable));
        return new double[] {records / wall, wall, h.peakLiveBytes(), h.peakUsedBytes(), h.gcs(), h.gcMillis(), before};
    }

    /**
     * The live-object histogram's top lines and the project's classes: a debug aid (-Dbench.histo=true), and where the
     * memory went when figure 14 fails.
     */
    static void histogram() throws Exception {
        String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String[] lines = h.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (i < 25 || lines[i].contains("airtableintegrity") || lines[i].contains("Exchange")) {
                System.out.println("    " + lines[i]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ 4. deadline

    private void deadline(String kind, String fault) throws Exception {
        try (RemoteDouble d = startDouble()) {
            d.command("simple Fine F " + Math.max(100, 300 / scale));
            d.command("simple Crawl C 5000");
            d.command("simple Stuck S 500");
            d.command("fault slow Crawl 250");
            d.command("fault " + fault);
            List<TableSpec> tables = List.of(
                    new TableSpec("Fine", List.of(RuleSpec.required("Name"))),
                    new TableSpec("Crawl", List.of(RuleSpec.required("Name"))),
                    new TableSpec("Stuck", List.of(RuleSpec.required("Name"))));
            IntegrityProperties p = props(d, tables);
            p.getRun().setMaxDurationSeconds((int) DEADLINE_S);
            p.getAirtable().setRequestTimeoutSeconds(60);
            List<Double> docOver = new ArrayList<>();
            List<Double> wallOver = new ArrayList<>();
            List<Double> lastReq = new ArrayList<>();
            List<Double> after = new ArrayList<>();
            try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
                for (int i = 0; i < runs; i++) {
                    d.command("clearlog");
                    long t0 = System.nanoTime();
                    String runId = runner.runNow();
                    double wall = (System.nanoTime() - t0) / 1e9;
                    Map<String, Object> doc = runner.reads().read(runId);
                    Thread.sleep(2000); // anything the double sees in these 2 s would be a request after the end
                    List<RemoteDouble.Req> log = d.log();
                    Instant started = ((Timestamp) doc.get("started_at")).toDate().toInstant();
                    Instant ended = ((Timestamp) doc.get("ended_at")).toDate().toInstant();
                    long deadlineMicros = micros(started) + (long) (DEADLINE_S * 1e6);
                    long lastMicros = log.stream().mapToLong(RemoteDouble.Req::arrivalEpochMicros).max().orElse(0);
                    long nAfter = log.stream().filter(r -> r.arrivalEpochMicros() > deadlineMicros).count();
                    double over = (micros(ended) - micros(started)) / 1e6 - DEADLINE_S;
                    docOver.add(over);
                    wallOver.add(wall - DEADLINE_S);
                    lastReq.add((lastMicros - deadlineMicros) / 1e6);
                    after.add((double) nAfter);
                    System.out.printf(Locale.ROOT, "  deadline %s run %d: %s, ended_at-started_at-5s = %.3f s, wall-5s = %.3f s, "
                                    + "last request %.3f s from the deadline, %d requests after it, %d requests%n",
                            kind, i + 1, doc.get("status"), over, wall - DEADLINE_S, lastReq.get(i), nAfter, log.size());
                    check("timeout".equals(doc.get("status")), "deadline run status " + doc.get("status"));
                }
            }
            String what = "4. Deadline 5 s, " + kind + " table (request timeout 60 s; + a table answering every 250 ms, "
                    + "+ a small healthy table)";
            row(what, "ended_at − started_at − 5 s (Firestore run doc, status timeout)", stat(docOver, 3) + " s",
                    "≤ 2 s " + verdict(Collections.max(docOver) <= 2));
            row("", "wall clock: runNow() return − start − 5 s", stat(wallOver, 3) + " s",
                    "≤ 2 s " + verdict(Collections.max(wallOver) <= 2));
            row("", "last request seen by the double − deadline (started_at + 5 s); negative = before", stat(lastReq, 3) + " s",
                    "≤ 2 s " + verdict(Collections.max(lastReq) <= 2));
            row("", "requests arriving after the deadline (incl. 2 s after the run ended)", stat(after, 0), "—");
        }
    }

    static long micros(Instant i) {
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    // ------------------------------------------------------------------------------------------ 5. per-page overhead

    /** Records, per exchange, when camel-http was entered (sending) and left (sent). */
    static final class HttpTimes extends EventNotifierSupport {
        final Map<String, List<long[]>> byExchange = new HashMap<>();
        /** Exchange id → the base of its run. */
        final Map<String, String> bases = new HashMap<>();

        HttpTimes() {
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeFailedEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public void notify(CamelEvent event) {
            long now = System.nanoTime();
            if (event instanceof CamelEvent.ExchangeSendingEvent s && s.getEndpoint().getEndpointUri().startsWith("http")) {
                synchronized (this) {
                    RunContext run = s.getExchange().getProperty(RunExchange.RUN, RunContext.class);
                    bases.put(s.getExchange().getExchangeId(), run == null ? "?" : run.baseId());
                    byExchange.computeIfAbsent(s.getExchange().getExchangeId(), k -> new ArrayList<>())
                            .add(new long[] {now, 0});
                }
            } else if (event instanceof CamelEvent.ExchangeSentEvent s
                    && s.getEndpoint().getEndpointUri().startsWith("http")) {
                synchronized (this) {
                    List<long[]> l = byExchange.get(s.getExchange().getExchangeId());
                    if (l != null) {
                        l.get(l.size() - 1)[1] = now;
                    }
                }
            }
        }

        synchronized void clear() {
            byExchange.clear();
        }
    }

    private void perPage() throws Exception {
        int perTable = 10_000 / scale;
        try (RemoteDouble d = startDouble()) {
            d.command("tables 1 " + perTable + " true");
            IntegrityProperties p = props(d, BenchData.allRules(1));
            HttpTimes times = new HttpTimes();
            Consumer<CamelContext> hook = c -> c.getManagementStrategy().addEventNotifier(times);
            List<Double> ownMed = new ArrayList<>();
            List<Double> ownP99 = new ArrayList<>();
            List<Double> httpMed = new ArrayList<>();
            List<Double> cycleMed = new ArrayList<>();
            List<Double> cycleP99 = new ArrayList<>();
            try (CamelRunner runner = CamelRunner.start(p, hook)) {
                for (int i = 0; i < 2 + Math.max(runs, 5); i++) {
                    times.clear();
                    d.command("clearlog");
                    runner.runNow();
                    if (i < 2) {
                        continue; // warm-up
                    }
                    List<Double> own = new ArrayList<>();
                    List<Double> http = new ArrayList<>();
                    for (List<long[]> l : times.byExchange.values()) {
                        for (int k = 0; k < l.size(); k++) {
                            http.add((l.get(k)[1] - l.get(k)[0]) / 1e6);
                            if (k + 1 < l.size()) {
                                own.add((l.get(k + 1)[0] - l.get(k)[1]) / 1e6);
                            }
                        }
                    }
                    List<RemoteDouble.Req> log = d.log();
                    List<Double> cycle = new ArrayList<>();
                    for (int k = 1; k < log.size(); k++) {
                        cycle.add((log.get(k).arrivalNanos() - log.get(k - 1).arrivalNanos()) / 1e6);
                    }
                    ownMed.add(percentile(own, 50));
                    ownP99.add(percentile(own, 99));
                    httpMed.add(percentile(http, 50));
                    cycleMed.add(percentile(cycle, 50));
                    cycleP99.add(percentile(cycle, 99));
                    System.out.printf(Locale.ROOT, "  per-page run %d: %d pages, own median %.3f ms p99 %.3f ms, http median %.3f ms, "
                                    + "cycle median %.3f ms p99 %.3f ms%n", i - 1, http.size(), ownMed.get(ownMed.size() - 1),
                            ownP99.get(ownP99.size() - 1), httpMed.get(httpMed.size() - 1),
                            cycleMed.get(cycleMed.size() - 1), cycleP99.get(cycleP99.size() - 1));
                }
            }
            String what = "5. Per-page overhead, 1 table × " + perTable + " records (" + (perTable + 99) / 100 + " pages), all 5 rule types, "
                    + "zero-latency double, " + ownMed.size() + " runs after 2 warm-ups";
            row(what, "route's own time per page, median (camel-http ExchangeSent → next ExchangeSending: parse, rules, "
                    + "loop, run checks, throttle, request prep)", stat(ownMed, 3) + " ms", "—");
            row("", "route's own time per page, p99", stat(ownP99, 3) + " ms", "—");
            row("", "camel-http call per page, median (ExchangeSending → Sent: client + double + body read)",
                    stat(httpMed, 3) + " ms", "—");
            row("", "cycle per page at the double (gap between consecutive request arrivals), median", stat(cycleMed, 3)
                    + " ms", "—");
            row("", "cycle per page at the double, p99", stat(cycleP99, 3) + " ms", "—");
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    RemoteDouble startDouble() throws IOException {
        return RemoteDouble.start(BASE, TOKEN, outDir.resolve("bench-double.log"));
    }

    IntegrityProperties props(RemoteDouble d, List<TableSpec> tables) {
        IntegrityProperties p = IntegrityProperties.defaults();
        p.getAirtable().setToken(TOKEN);
        p.getAirtable().setBaseId(BASE);
        p.getAirtable().setApiUrl(d.baseUrl());
        p.getAirtable().setRequestTimeoutSeconds(30);
        p.getAirtable().setConnectTimeoutSeconds(5);
        p.getAirtable().setRequestsPerSecond(1000);
        p.getAirtable().setTokenRequestsPerSecond(10_000);
        p.getRun().setMaxDurationSeconds(600);
        p.getRun().setRunnerId("bench-runner");
        p.getSchedule().setCron(TestSettings.NEVER);
        p.getSweep().setCron(TestSettings.NEVER);
        p.getFirestore().setProjectId(emulator.projectId());
        p.getFirestore().setEmulatorHost(emulator.hostPort());
        p.getFirestore().setCallTimeoutSeconds(30);
        p.setTables(tables);
        // to measure the engine as it was: -Dbench.table-threads=10 is Camel's default split pool in effect (10
        // threads, queue 1000), -Dbench.schedule-threads=10 Quartz's default
        p.getRun().setTableThreads(Integer.getInteger("bench.table-threads", p.getRun().getTableThreads()));
        p.getSchedule().setThreads(Integer.getInteger("bench.schedule-threads", p.getSchedule().getThreads()));
        return p;
    }

    private static List<Double> diff(List<double[]> rows, int a, int b) {
        return rows.stream().map(r -> r[a] - r[b]).toList();
    }

    /** Growth of the live heap from one run's start to the next one's. */
    private static List<Double> retained(List<double[]> rows) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            out.add(rows.get(i)[6] - rows.get(i - 1)[6]);
        }
        return out;
    }

    private static List<Double> col(List<double[]> rows, int i) {
        return rows.stream().map(r -> r[i]).toList();
    }

    static double median(List<Double> v) {
        return percentile(v, 50);
    }

    /** Nearest-rank percentile; the median of an even count is the mean of the middle two. */
    static double percentile(List<Double> values, double p) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        if (p == 50) {
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    static String stat(List<Double> v, int decimals) {
        return fmt(median(v), decimals) + " (" + fmt(Collections.min(v), decimals) + "–" + fmt(Collections.max(v), decimals)
                + ")";
    }

    static String mb(List<Double> bytes) {
        return stat(bytes.stream().map(b -> b / 1048576.0).toList(), 1) + " MB";
    }

    static String fmt(double v, int decimals) {
        if (decimals == 0 && Math.abs(v) >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static long maxHeapMb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576;
    }

    static String verdict(boolean met) {
        return met ? "**met**" : "**MISSED**";
    }

    void check(boolean ok, String message) {
        if (!ok) {
            notes.add("CHECK FAILED: " + message);
            System.out.println("  CHECK FAILED: " + message);
        }
    }

    void row(String scenario, String metric, String value, String target) {
        rows.add("| " + scenario + " | " + metric + " | " + value + " | " + target + " |");
    }

    private void print() throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("## airtable-integrity-runner benchmark\n\n");
        sb.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(cpuModel()).append("; Java ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("), GC ")
                .append(ManagementFactory.getGarbageCollectorMXBeans().get(0).getName().replace(" Young Generation", ""))
                .append(", max heap ").append(maxHeapMb()).append(" MB; load average at start ").append(loadavg())
                .append("\n\n");
        sb.append("Each value: median (min–max) of ").append(runs).append("+ runs. Airtable double (real HTTP server) runs in "
                + "its own JVM on the same machine; Firestore is the official emulator.\n\n");
        sb.append("| Scenario | Metric | Median (min–max) | Target |\n|---|---|---|---|\n");
        for (String r : rows) {
            sb.append(r).append('\n');
        }
        for (String n : notes) {
            sb.append("\n").append(n).append('\n');
        }
        System.out.println();
        System.out.println(sb);
        Files.writeString(outDir.resolve("benchmark.md"), sb.toString(), StandardCharsets.UTF_8);
        System.out.println("(written to " + outDir.resolve("benchmark.md") + ")");
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static final String LOAD_AT_START = readLoadavg();

    private static String loadavg() {
        return LOAD_AT_START;
    }

    private static String readLoadavg() {
        try {
            String[] a = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return a[0] + " " + a[1] + " " + a[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
