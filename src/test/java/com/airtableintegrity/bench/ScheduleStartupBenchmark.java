package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.median;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.ManagementMBeansLevel;
import org.apache.camel.ServiceStatus;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.store.FirestoreClients;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.support.CamelRunner;
import com.google.cloud.firestore.Firestore;

/**
 * Figure 8 of {@link IntegrityBenchmark}: a runner starting with 200 schedule documents over 50 bases in the Firestore
 * emulator (crons that do not fire while measured): the time from the start of a fresh runner until all 200 routes
 * {@code integrity-schedule-<id>} are started (route {@code integrity-schedule-sync} applies them after the context has
 * started), and the heap they take.
 */
final class ScheduleStartupBenchmark {
    private static final String SCHEDULES = "bench_schedules";

    private final IntegrityBenchmark bench;

    ScheduleStartupBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    void startupWithSchedules() throws Exception {
        int bases = 50;
        int perBase = 4;
        int count = bases * perBase;
        try (RemoteDouble d = bench.startDouble()) {
            IntegrityProperties p = bench.props(d, BenchData.allRules(1));
            p.getFirestore().setSchedulesCollection(SCHEDULES);
            List<Double> empty = new ArrayList<>();
            List<Double> startS = new ArrayList<>();
            List<Double> allUp = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            for (int i = 0; i < bench.runs; i++) { // no schedule documents yet: the baseline
                empty.add(startAndAwait(p, 0)[2]);
            }
            storeSchedules(p, bases, perBase);
            for (int i = 0; i < bench.runs + 1; i++) {
                double[] r = startAndAwait(p, count);
                System.out.printf(Locale.ROOT, "  start-up with %d schedules, run %d%s: context started in %.2f s, "
                        + "all routes started after %.2f s, heap after GC %.1f MB%n", count, i + 1,
                        i == 0 ? " (warm-up)" : "", r[0], r[1], r[2] / 1048576.0);
                if (i > 0) {
                    startS.add(r[0]);
                    allUp.add(r[1]);
                    heap.add(r[2]);
                }
            }
            List<Double> perSchedule = heap.stream().map(h -> (h - median(empty)) / count / 1024).toList();
            bench.row("8. Start-up with " + count + " schedule documents over " + bases + " bases (" + perBase
                            + " per base, 2 tables each, crons not firing); " + allUp.size()
                            + " starts of a fresh runner after 1 warm-up",
                    "start → all " + count + " routes integrity-schedule-<id> started (CamelContext polled every "
                            + "10 ms)", stat(allUp, 2) + " s", "—");
            bench.row("", "of which CamelRunner.start (context started; the schedules are applied after it by "
                    + "route integrity-schedule-sync)", stat(startS, 2) + " s", "—");
            bench.row("", "heap used after a full GC, all routes up", IntegrityBenchmark.mb(heap), "—");
            bench.row("", "the same with no schedule document (baseline)", IntegrityBenchmark.mb(empty), "—");
            bench.row("", "heap per schedule ((with − baseline) / " + count + ")", stat(perSchedule, 1) + " KB",
                    "—");
        }
    }

    private void storeSchedules(IntegrityProperties p, int bases, int perBase) throws Exception {
        List<ScheduleSpec> specs = new ArrayList<>();
        for (int b = 0; b < bases; b++) {
            for (int k = 0; k < perBase; k++) {
                ScheduleSpec s = new ScheduleSpec();
                s.setName("bench " + b + "/" + k);
                s.setBaseId(MultiBaseBenchmark.baseId(b));
                s.setCron("0 " + (b + k * 13) % 60 + " " + k + " 1 1 ?"); // once a year, 1 January
                s.setTables(List.of(new TableSpec("T1", List.of(RuleSpec.required("Name"))),
                        new TableSpec("T2", List.of(RuleSpec.required("Email")))));
                specs.add(s);
            }
        }
        store(p, SCHEDULES, specs);
    }

    /** Stores these schedule documents in {@code collection}; returns their ids. */
    static List<String> store(IntegrityProperties p, String collection, List<ScheduleSpec> specs) throws Exception {
        try (Firestore db = FirestoreClients.connect(p.getFirestore().getProjectId(),
                p.getFirestore().getEmulatorHost())) {
            ScheduleDocuments docs = new ScheduleDocuments(new RunCollection(db, p.getFirestore().getCollection(),
                    Duration.ofSeconds(30), Clock.systemUTC()), collection);
            return specs.stream().map(docs::create).toList();
        }
    }

    /** Starts a runner, waits for {@code count} schedule routes; returns {start s, all started s, heap after GC}. */
    private static double[] startAndAwait(IntegrityProperties p, int count) throws Exception {
        long t0 = System.nanoTime();
        try (CamelRunner runner = CamelRunner.start(p, ScheduleStartupBenchmark::mbeansLevel)) {
            double started = (System.nanoTime() - t0) / 1e9;
            AtomicLong upAt = new AtomicLong(System.nanoTime());
            await().atMost(Duration.ofSeconds(300)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        upAt.set(System.nanoTime());
                        return scheduleRoutesStarted(runner.context()) >= count;
                    });
            double allUp = (upAt.get() - t0) / 1e9;
            return new double[] {started, allUp, HeapMonitor.liveNow()};
        }
    }

    /** {@code -Dbench.mbeans-level=RoutesOnly}: Camel's JMX MBeans for the context and routes, none per processor. */
    private static void mbeansLevel(CamelContext context) {
        String level = System.getProperty("bench.mbeans-level");
        if (level != null && context.getManagementStrategy().getManagementAgent() != null) {
            context.getManagementStrategy().getManagementAgent().setMBeansLevel(ManagementMBeansLevel.valueOf(level));
        } else if (level != null) {
            System.out.println("  (no JMX management agent before start: bench.mbeans-level not applied)");
        }
    }

    static long scheduleRoutesStarted(CamelContext context) {
        return context.getRoutes().stream().filter(r -> r.getRouteId().startsWith(ScheduleRoutes.routeId("")))
                .filter(r -> !r.getRouteId().equals("integrity-schedule-sync"))
                .filter(r -> context.getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                .count();
    }
}
