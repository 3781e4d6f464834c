package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static com.airtableintegrity.bench.IntegrityBenchmark.median;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;
import static com.airtableintegrity.bench.IntegrityBenchmark.verdict;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.support.CamelRunner;
import com.google.cloud.Timestamp;

/**
 * Figures 6 to 8 of {@link IntegrityBenchmark}, several bases at once: runs of many bases started together from as
 * many threads through route {@code integrity-run} (each base under its own throttle at the production 5 requests per
 * 1050 ms, the double enforcing Airtable's 5 req/s per base with a 30 s penalty); figure 8 is
 * {@link ScheduleStartupBenchmark}. Each round samples the runner's threads, the evidence for (or against) a pool
 * shared by all runs.
 */
final class MultiBaseBenchmark {
    private static final int PER_SECOND = 5;

    private final IntegrityBenchmark bench;

    MultiBaseBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    static String baseId(int i) {
        return String.format(Locale.ROOT, "appBENCHBASE%05d", i);
    }

    /**
     * One round: wall s, 429s, CPU s of this JVM, max split threads alive, max requests of one base in 1 s, the last
     * run's {@code started_at} after the round's start (s) and the longest run ({@code ended_at − started_at}, s).
     */
    private record Round(double wall, long n429, double cpu, int splitThreads, int maxPerBase, String census,
                         double lastStart, double longest) {
    }

    // ------------------------------------------------------------------------------------------ 6. 10 bases

    void concurrentThrottled() throws Exception {
        int bases = 10;
        int tables = 3;
        int perTable = 2000 / bench.scale;
        int pages = tables * ((perTable + 99) / 100);
        double bound = pages / (double) PER_SECOND;
        // the product's token limit (50 per throttle period) stands: 10 bases at 5 each are exactly at it
        List<Round> all = rounds(bases, tables, perTable, "10 bases", 50);
        List<Round> rounds = all.subList(1, all.size());
        String what = "6. " + bases + " bases at once, " + tables + " × " + perTable + " records (" + pages
                + " pages) each, 5 req/s per base (requests-per-second 5, throttle-period-millis 1050); bound = "
                + "pages of one base / 5 s = " + fmt(bound, 1) + " s";
        List<Double> wall = rounds.stream().map(Round::wall).toList();
        List<Double> ratio = wall.stream().map(w -> w / bound).toList();
        bench.row(what, "wall time, all " + bases + " runs started together until the last ends; " + rounds.size()
                + " rounds, a fresh runner each, after 1 warm-up round", stat(wall, 2) + " s", "—");
        bench.row("", "wall / bound", stat(ratio, 3) + " ×", "≤ 1.10 × " + verdict(median(ratio) <= 1.10));
        common(all, bound);
    }

    // ------------------------------------------------------------------------------------------ 7. 100 bases

    void manyBases() throws Exception {
        int bases = 100;
        int tables = 2;
        int perTable = 500 / bench.scale;
        int pages = tables * ((perTable + 99) / 100);
        double bound = pages / (double) PER_SECOND;
        // the runner's own capacity: one Airtable token allows 50 requests per second, so this needs the token
        // limit lifted (as several tokens, or a double, would); 100 bases at 5 each from one token would be throttled
        List<Round> all = rounds(bases, tables, perTable, "100 bases", 10_000);
        List<Round> rounds = all.subList(1, all.size());
        String what = "7. " + bases + " bases at once, " + tables + " × " + perTable + " records (" + pages
                + " pages) each, 5 req/s per base (" + bases * PER_SECOND + " req/s in all; token limit lifted, "
                + "Airtable allows one token 50 req/s); bound = " + fmt(bound, 1) + " s";
        List<Double> wall = rounds.stream().map(Round::wall).toList();
        List<Double> ratio = wall.stream().map(w -> w / bound).toList();
        List<Double> cpu = rounds.stream().map(r -> r.cpu() / (bases * pages) * 1000).toList();
        bench.row(what, "wall time, all " + bases + " runs started together until the last ends; " + rounds.size()
                + " rounds, a fresh runner each, after 1 warm-up round", stat(wall, 2) + " s", "—");
        bench.row("", "wall / bound", stat(ratio, 3) + " ×", "≤ 1.15 × " + verdict(median(ratio) <= 1.15));
        bench.row("", "runner CPU per 1,000 pages (process CPU time of the benchmark JVM over the scan; the double "
                + "runs in its own JVM)", stat(cpu, 2) + " s", "—");
        common(all, bound);
    }

    /** The rows both figures share; {@code all.get(0)} is the warm-up round, the rest the measured ones. */
    private void common(List<Round> all, double bound) {
        List<Round> rounds = all.subList(1, all.size());
        List<Double> r429 = rounds.stream().map(r -> (double) r.n429()).toList();
        List<Double> perBase = rounds.stream().map(r -> (double) r.maxPerBase()).toList();
        List<Double> split = rounds.stream().map(r -> (double) r.splitThreads()).toList();
        bench.row("", "429 answers (double's real limit 5 req/s per base, 30 s penalty)", stat(r429, 0),
                "0 " + verdict(Collections.max(r429) == 0));
        bench.row("", "max requests of one base in any 1 s window at the double", stat(perBase, 0),
                "≤ 5 " + verdict(Collections.max(perBase) <= 5));
        bench.row("", "max split threads alive (threads named '… - Split', sampled every 100 ms)", stat(split, 0),
                "—");
        bench.row("", "last run's started_at after the round's start (run opening: lock + run document)",
                stat(rounds.stream().map(Round::lastStart).toList(), 2) + " s", "—");
        bench.row("", "longest run, ended_at − started_at", stat(rounds.stream().map(Round::longest).toList(), 2)
                + " s", "—");
        Round w = all.get(0);
        bench.row("", "warm-up round (the double's JVM cold; not in the medians above)", String.format(Locale.ROOT,
                "%.2f s = %.3f × bound, %d × 429, max %d requests of one base in 1 s", w.wall(), w.wall() / bound,
                w.n429(), w.maxPerBase()), "—");
    }

    private List<Round> rounds(int bases, int tables, int perTable, String label, int tokenPerSecond)
            throws Exception {
        List<Round> out = new ArrayList<>();
        Round warmUp = null;
        try (RemoteDouble d = bench.startDouble()) {
            for (int b = 0; b < bases; b++) {
                d.command("tables " + tables + " " + perTable + " true " + baseId(b));
            }
            IntegrityProperties p = bench.props(d, BenchData.allRules(tables));
            p.getAirtable().setRequestsPerSecond(PER_SECOND); // the product's 5 requests per 1050 ms per base
            p.getAirtable().setTokenRequestsPerSecond(tokenPerSecond);
            p.getAirtable().setRateLimitWaitSeconds(30);
            for (int i = 0; i < bench.runs + 1; i++) {
                Round r = round(d, p, bases, tables, perTable);
                System.out.printf(Locale.ROOT, "  %s round %d%s: %.2f s, %d x 429, CPU %.2f s, max %d split threads, "
                                + "max %d requests of one base in 1 s, last run started after %.2f s, longest run "
                                + "%.2f s%n    threads at the peak: %s%n", label, i + 1, i == 0 ? " (warm-up)" : "",
                        r.wall(), r.n429(), r.cpu(), r.splitThreads(), r.maxPerBase(), r.lastStart(), r.longest(),
                        r.census());
                warmUp = i == 0 ? r : warmUp;
                if (i > 0) {
                    out.add(r);
                }
            }
        }
        out.add(0, warmUp); // first: the warm-up round (the double's JVM cold), reported on a line of its own
        return out;
    }

    private Round round(RemoteDouble d, IntegrityProperties p, int bases, int tables, int perTable) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService callers = Executors.newFixedThreadPool(bases);
        ThreadSampler sampler = new ThreadSampler();
        try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
            d.command("ratelimit " + PER_SECOND + " 30000"); // fresh windows, no penalty left from a previous round
            d.command("clearlog");
            List<TableSpec> specs = BenchData.allRules(tables);
            long cpu0 = os.getProcessCpuTime();
            long epoch0 = IntegrityBenchmark.micros(Instant.now());
            long t0 = System.nanoTime();
            List<Future<String>> runIds = new ArrayList<>();
            for (int b = 0; b < bases; b++) {
                ScanPlan plan = new ScanPlan(baseId(b), specs);
                runIds.add(callers.submit(() -> runner.run(plan)));
            }
            for (Future<String> f : runIds) {
                f.get();
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            sampler.stop();
            double cpu = (os.getProcessCpuTime() - cpu0 - sampler.cpuNanos.get()) / 1e9; // less the sampler's own
            double lastStart = 0;
            double longest = 0;
            for (Future<String> f : runIds) {
                Map<String, Object> doc = runner.reads().read(f.get());
                long started = micros(doc.get("started_at"));
                lastStart = Math.max(lastStart, (started - epoch0) / 1e6);
                longest = Math.max(longest, (micros(doc.get("ended_at")) - started) / 1e6);
                long records = ((Number) doc.get("records_scanned")).longValue();
                bench.check("warning".equals(doc.get("status")) && records == (long) tables * perTable,
                        "run " + f.get() + " of base " + doc.get("base_id") + ": " + doc.get("status") + ", "
                                + records + " records");
            }
            List<RemoteDouble.Req> log = d.log();
            long n429 = log.stream().filter(r -> r.status() == 429).count();
            if (n429 > 0) {
                System.out.println("    429s:" + before429(log));
            }
            int perBase = log.stream().collect(Collectors.groupingBy(RemoteDouble.Req::base)).values().stream()
                    .mapToInt(l -> IntegrityBenchmark.maxInWindow(l, 1_000_000_000L)).max().orElse(0);
            return new Round(wall, n429, cpu, sampler.maxSplit.get(), perBase, sampler.census.get(), lastStart,
                    longest);
        } finally {
            sampler.stop();
            callers.shutdownNow();
        }
    }

    /**
     * For the first 429 of each base that got one: the base's requests in the 1.5 s before it, as
     * {@code ms-before-the-429/table/page/status}; a page asked twice is a retry.
     */
    static String before429(List<RemoteDouble.Req> log) {
        StringBuilder sb = new StringBuilder();
        Map<String, List<RemoteDouble.Req>> byBase =
                log.stream().collect(Collectors.groupingBy(RemoteDouble.Req::base));
        byBase.forEach((base, reqs) -> reqs.stream().filter(r -> r.status() == 429).findFirst().ifPresent(first -> {
            sb.append("\n    ").append(base).append(" before its first 429:");
            for (RemoteDouble.Req r : reqs) {
                long ago = first.arrivalNanos() - r.arrivalNanos();
                if (ago >= 0 && ago < 1_500_000_000L) {
                    sb.append(String.format(Locale.ROOT, " -%.0f/%s/%d/%d", ago / 1e6, r.table(), r.page(),
                            r.status()));
                }
            }
        }));
        return sb.toString();
    }

    private static long micros(Object timestamp) {
        return IntegrityBenchmark.micros(((Timestamp) timestamp).toDate().toInstant());
    }

    /** Samples the threads every 100 ms: the most split threads alive, and a census of all threads at that moment. */
    private static final class ThreadSampler {
        private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]+");
        final AtomicInteger maxSplit = new AtomicInteger();
        final AtomicLong cpuNanos = new AtomicLong();
        final AtomicReference<String> census = new AtomicReference<>("");
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-thread-sampler");
            t.setDaemon(true);
            return t;
        });

        ThreadSampler() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            timer.scheduleAtFixedRate(() -> {
                ThreadInfo[] infos = mx.getThreadInfo(mx.getAllThreadIds(), 0);
                int split = 0;
                for (ThreadInfo info : infos) {
                    split += info != null && info.getThreadName().endsWith(" - Split") ? 1 : 0;
                }
                if (split > maxSplit.get()) {
                    // the census only at a new peak: this thread shares the cores with the runner it measures
                    Map<String, Integer> byKind = new TreeMap<>();
                    for (ThreadInfo info : infos) {
                        if (info != null) {
                            byKind.merge(DIGITS.matcher(info.getThreadName()).replaceAll("N") + " "
                                    + info.getThreadState(), 1, Integer::sum);
                        }
                    }
                    maxSplit.set(split);
                    census.set(byKind.entrySet().stream().filter(e -> e.getValue() > 2)
                            .map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining("; ")));
                }
                cpuNanos.set(mx.getCurrentThreadCpuTime());
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        void stop() {
            timer.shutdownNow();
        }
    }
}
