package com.airtableintegrity.soak;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.faults.TcpProxy;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.NoticeReceiver;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The soak (issue 14): the packaged runner against a private Firestore emulator and the Airtable double, both behind
 * TCP proxies, two stored schedules of two bases firing every 5 s, a seeded {@link ChaosPlan} played by the
 * {@link ChaosDriver}; at the end the schedules are disabled, the soak waits until every run is terminal (at most the
 * run deadline plus one sweep window), and {@link SoakChecks} judge what Firestore and the double's log hold.
 * Every process and proxy it starts is stopped in {@link #run}'s finally blocks.
 */
public final class Soak {
    static final List<String> BASES = List.of("appSOAKBASE000001", "appSOAKBASE000002");
    private static final String CRON = "*/5 * * * * ?";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The table, and whether every row with a limit kept it. */
    public record Result(String table, List<SoakChecks.Row> failed) {
    }

    private Soak() {
    }

    public static Result run(Duration length, long seed, Path out) throws Exception {
        ChaosPlan plan = ChaosPlan.draw(seed, length, BASES);
        System.out.println("[soak] seed " + seed + " (replay: SOAK_SEED=" + seed + ")\n" + plan.describe());
        FirestoreEmulator emulator = FirestoreEmulator.startNew();
        Timeline timeline = new Timeline();
        List<ProcessSampler.Sample> samples = new ArrayList<>();
        try (AirtableDouble airtable = AirtableDouble.start(TestSettings.TOKEN);
             TcpProxy airtableProxy = TcpProxy.start("127.0.0.1", airtable.port());
             TcpProxy firestoreProxy = TcpProxy.start("127.0.0.1", emulator.port());
             FirestoreHistory history = new FirestoreHistory(emulator.newClient());
             NoticeReceiver notices = NoticeReceiver.start();
             Runners runners = new Runners(airtable, emulator, "http://" + airtableProxy.hostPort(),
                     firestoreProxy.hostPort(), BASES.get(0), timeline, notices.url("/soak"))) {
            BASES.forEach(base -> tables(airtable, base));
            airtable.rateLimit(5, Duration.ofSeconds(30)); // Airtable's limit: a 429 the runner caused shows up
            runners.startSteady();
            Map<String, String> schedules = postSchedules(runners);
            runners.awaitSchedules(true, schedules.size());
            long start = System.nanoTime();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleWithFixedDelay(() -> {
                ProcessSampler.Sample s = runners.sampleSteady((System.nanoTime() - start) / 1e9);
                if (s != null) {
                    synchronized (samples) {
                        samples.add(s);
                    }
                }
            }, 0, 10, TimeUnit.SECONDS);
            try {
                new ChaosDriver(plan, runners, airtable, airtableProxy, firestoreProxy, timeline, schedules.size())
                        .play(start);
            } finally {
                airtable.clearFaults();
                airtableProxy.restore();
                firestoreProxy.restore();
                sampler.shutdownNow();
                sampler.awaitTermination(60, TimeUnit.SECONDS);
            }
            // from the first PATCH on, a firing may meet its schedule disabled (no run, rightly): counted until then
            timeline.schedulesDisabled(Instant.now());
            disable(runners, schedules.keySet());
            awaitAllTerminal(history);
            awaitNoticesSettled(history);
            SoakChecks checks = new SoakChecks(history.runsNow(), timeline);
            checks.statuses();
            checks.faults();
            checks.overlaps();
            checks.requests(airtable.requests());
            checks.postTerminalWrites(history);
            checks.unexplainedEndings();
            SoakAccounting.firings(checks, schedules, history.skips(),
                    SoakAccounting.failedStarts(runners.logs()), timeline);
            SoakAccounting.detection(checks, timeline);
            SoakNotices.rows(checks, history.runsNow(), notices.received());
            synchronized (samples) {
                SoakAccounting.trend(checks, List.copyOf(samples));
            }
            if (!history.errors().isEmpty()) {
                checks.add("soak listener errors", history.errors().toString(), history.errors().size(), 0.0);
            }
            return report(plan, checks, out);
        } finally {
            emulator.stop();
        }
    }

    /** Two tables a base, 10 pages at 5 requests/s: a healthy run takes about 2 s, well inside the 5 s cron. */
    private static void tables(AirtableDouble airtable, String base) {
        airtable.addTable(base, "Customers", Records.of('C', 600, i -> AirtableDouble.fields(
                "Name", "c" + i, "Email", "c" + (i % 590) + "@example.com", "Status", "Active")));
        airtable.addTable(base, "Orders", Records.of('O', 400, i -> AirtableDouble.fields(
                "Customer", List.of(Records.id('C', i)))));
    }

    /** POST /api/schedules for each base; returns schedule id to base id. */
    private static Map<String, String> postSchedules(Runners runners) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String base : BASES) {
            String body = JSON.writeValueAsString(Map.of("name", "soak " + base, "base_id", base, "cron", CRON,
                    "time_zone", "UTC", "notify", List.of(Map.of("channel", SoakNotices.CHANNEL,
                            "events", List.of("every_run"))), "tables", List.of(
                            Map.of("name", "Customers", "rules", List.of(Map.of("type", "required", "field", "Name"),
                                    Map.of("type", "unique", "field", "Email"))),
                            Map.of("name", "Orders", "rules", List.of(Map.of("type", "links_to", "field",
                                    "Customer", "table", "Customers"))))));
            var answer = runners.steady().sendJson("POST", "/api/schedules", body);
            if (answer.statusCode() != 201) {
                throw new IllegalStateException("POST /api/schedules: " + answer.statusCode() + " " + answer.body());
            }
            ids.put(JSON.readTree(answer.body()).get("id").asText(), base);
        }
        return ids;
    }

    private static void disable(Runners runners, Iterable<String> ids) {
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> runners.steady().sendJson("PATCH", "/api/schedules/" + id, "{\"enabled\":false}")
                            .statusCode() == 200);
        }
    }

    /** One run deadline plus one sweep window (stale + sweep interval), with room for the final writes. */
    private static void awaitAllTerminal(FirestoreHistory history) {
        Duration bound = Duration.ofSeconds(Runners.MAX_RUN_SECONDS + Runners.STALE_SECONDS + Runners.SWEEP_SECONDS
                + 3L * Runners.FIRESTORE_CALL_SECONDS);
        try {
            await().atMost(bound).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> history.runsNow().stream().noneMatch(r -> "running".equals(r.get("status"))));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("[soak] runs still running after " + bound.toSeconds() + " s: the table says how many");
        }
    }

    /** The outbox delivers within seconds once the chaos is over (polls every second, back-off at most 2 s). */
    private static void awaitNoticesSettled(FirestoreHistory history) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> history.runsNow().stream().noneMatch(r -> r.get("notify_next_at") != null));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("[soak] notices still pending after 60 s: the table says how many");
        }
    }

    private static Result report(ChaosPlan plan, SoakChecks checks, Path out) throws Exception {
        StringBuilder md = new StringBuilder("# Soak: seed " + plan.seed() + ", " + plan.length().toSeconds()
                + " s of chaos, " + plan.episodes().size() + " episodes\n\n");
        md.append("| check | result | limit | ok |\n|---|---|---|---|\n");
        List<SoakChecks.Row> failed = new ArrayList<>();
        for (SoakChecks.Row r : checks.rows()) {
            md.append("| ").append(r.check()).append(" | ").append(r.value()).append(" | ")
                    .append(r.limit() == null ? "" : "≤ " + r.limit()).append(" | ")
                    .append(r.limit() == null ? "" : r.failed() ? "**FAIL**" : "ok").append(" |\n");
            if (r.failed()) {
                failed.add(r);
            }
        }
        md.append("\n").append(plan.describe().replace("\n  ", "\n    "));
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        return new Result(md.toString(), failed);
    }
}
