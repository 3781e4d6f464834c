package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.support.CamelRunner;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * Figure 9 of {@link IntegrityBenchmark}: {@value #SCHEDULES} schedule documents of as many bases, all firing in the
 * same second, each run scanning one table of 30 pages under the production throttle (about 6 s). A schedule route's
 * firing holds its Quartz thread for the whole run, so with fewer Quartz threads than schedules firing together the
 * later firings wait for a thread; a firing that waits past Quartz's misfire threshold (60 s) is dropped (the
 * template's misfire instruction is "do nothing"). Measured: each run's {@code started_at} after the firing second.
 */
final class ScheduleFiringBenchmark {
    private static final int SCHEDULES = 20;
    private static final String COLLECTION = "bench_firing";

    private final IntegrityBenchmark bench;

    ScheduleFiringBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    void simultaneousFirings() throws Exception {
        int perTable = 3000 / bench.scale;
        try (RemoteDouble d = bench.startDouble()) {
            for (int b = 0; b < SCHEDULES; b++) {
                d.command("tables 1 " + perTable + " true " + MultiBaseBenchmark.baseId(b));
            }
            d.command("ratelimit 5 30000");
            IntegrityProperties p = bench.props(d, BenchData.allRules(1));
            p.getAirtable().setRequestsPerSecond(5);
            p.getFirestore().setSchedulesCollection(COLLECTION);
            IntegrityBenchmark.HttpTimes times = new IntegrityBenchmark.HttpTimes();
            try (CamelRunner runner = CamelRunner.start(p, c -> c.getManagementStrategy().addEventNotifier(times))) {
                ZonedDateTime fire = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10).truncatedTo(ChronoUnit.SECONDS);
                List<ScheduleSpec> specs = new ArrayList<>();
                for (int b = 0; b < SCHEDULES; b++) {
                    ScheduleSpec s = new ScheduleSpec();
                    s.setName("firing " + b);
                    s.setBaseId(MultiBaseBenchmark.baseId(b));
                    s.setCron(fire.getSecond() + " " + fire.getMinute() + " " + fire.getHour() + " * * ?"); // daily
                    s.setTables(BenchData.allRules(1));
                    specs.add(s);
                }
                Set<String> ids = Set.copyOf(ScheduleStartupBenchmark.store(p, COLLECTION, specs));
                await().atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(50))
                        .until(() -> ScheduleStartupBenchmark.scheduleRoutesStarted(runner.context()) >= SCHEDULES);
                String threads = quartzThreads();
                List<Map<String, Object>> runs = await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500)).until(() -> finishedRuns(runner, p, ids),
                                l -> l.size() >= SCHEDULES);
                long fireMicros = IntegrityBenchmark.micros(fire.toInstant());
                List<Double> delays = new ArrayList<>();
                List<Double> durations = new ArrayList<>();
                for (Map<String, Object> run : runs) {
                    long started = micros(run.get("started_at"));
                    delays.add((started - fireMicros) / 1e6);
                    durations.add((micros(run.get("ended_at")) - started) / 1e6);
                }
                delays.sort(null);
                long prompt = delays.stream().filter(x -> x < 2).count();
                System.out.printf(Locale.ROOT, "  %d schedules firing at %s: started_at − firing (s, sorted) %s; "
                        + "run durations %s; %s%n", SCHEDULES, fire.toInstant(), fmtList(delays), fmtList(durations),
                        threads);
                bench.row("9. " + SCHEDULES + " schedule documents of " + SCHEDULES + " bases firing in the same "
                                + "second, each run 1 table × " + perTable + " records (" + (perTable + 99) / 100
                                + " pages, 5 req/s); " + threads,
                        "runs started within 2 s of the firing", prompt + " of " + SCHEDULES,
                        SCHEDULES + " " + IntegrityBenchmark.verdict(prompt == SCHEDULES));
                bench.row("", "last run's started_at after the firing second (a wait past 60 s would be a "
                        + "misfire: firing dropped)", fmt(delays.get(delays.size() - 1), 2) + " s", "—");
                bench.row("", "run duration, median (ended_at − started_at)",
                        fmt(IntegrityBenchmark.median(durations), 2) + " s", "—");
                List<RemoteDouble.Req> log = d.log();
                long n429 = log.stream().filter(r -> r.status() == 429).count();
                if (n429 > 0) {
                    System.out.println("    429s:" + MultiBaseBenchmark.before429(log));
                }
                lags(times, log);
                bench.row("", "429 answers (double's real limit 5 req/s per base, 30 s penalty)", String.valueOf(n429),
                        "0 " + IntegrityBenchmark.verdict(n429 == 0));
            }
        }
    }

    private static List<Map<String, Object>> finishedRuns(CamelRunner runner, IntegrityProperties p, Set<String> ids)
            throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        for (QueryDocumentSnapshot doc : runner.firestore().collection(p.getFirestore().getCollection())
                .whereEqualTo("trigger", "schedule").get().get().getDocuments()) {
            if (ids.contains(doc.getString("schedule_id")) && doc.get("ended_at") != null) {
                out.add(doc.getData());
            }
        }
        return out;
    }

    /**
     * One table per base, so a base's requests go one after the other: its k-th camel-http entry (the throttle
     * passed; the send-time limiter and the connection still ahead) pairs with its k-th arrival at the double.
     */
    private static void lags(IntegrityBenchmark.HttpTimes times, List<RemoteDouble.Req> log) {
        Map<String, List<Long>> sends = new java.util.HashMap<>();
        synchronized (times) {
            times.byExchange.forEach((id, l) -> l.forEach(x -> sends.computeIfAbsent(times.bases.get(id),
                    k -> new ArrayList<>()).add(x[0])));
        }
        List<Double> all = new ArrayList<>();
        StringBuilder worst = new StringBuilder();
        double max = -1;
        for (Map.Entry<String, List<RemoteDouble.Req>> e : log.stream()
                .collect(java.util.stream.Collectors.groupingBy(RemoteDouble.Req::base)).entrySet()) {
            List<Long> s = sends.getOrDefault(e.getKey(), List.of()).stream().sorted().toList();
            List<Long> a = e.getValue().stream().map(RemoteDouble.Req::arrivalNanos).sorted().toList();
            List<Double> lag = new ArrayList<>();
            for (int k = 0; k < Math.min(s.size(), a.size()); k++) {
                lag.add((a.get(k) - s.get(k)) / 1e6);
            }
            all.addAll(lag);
            double m = lag.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            if (m > max) {
                max = m;
                worst.setLength(0);
                worst.append(e.getKey()).append(' ').append(fmtList(lag));
            }
        }
        System.out.printf(Locale.ROOT, "    camel-http entered → arrival at the double, all bases: median %.1f ms, "
                        + "p99 %.1f ms, max %.1f ms; worst base (ms per request): %s%n",
                IntegrityBenchmark.median(all), IntegrityBenchmark.percentile(all, 99), max, worst);
    }

    /** The Quartz scheduler's worker threads alive now. */
    private static String quartzThreads() {
        long n = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("DefaultQuartzScheduler") && t.getName().contains("_Worker-"))
                .count();
        return n + " Quartz worker threads";
    }

    private static long micros(Object timestamp) {
        return IntegrityBenchmark.micros(((Timestamp) timestamp).toDate().toInstant());
    }

    private static String fmtList(List<Double> v) {
        return v.stream().map(x -> fmt(x, 1)).toList().toString();
    }
}
