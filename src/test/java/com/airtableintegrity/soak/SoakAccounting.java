package com.airtableintegrity.soak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.airtableintegrity.soak.SoakChecks.Run;

/**
 * The soak's checks that need the timeline's arithmetic: every firing accounted for, the detection latency of dead
 * runners, and the resource trend of the runner that was never killed.
 */
final class SoakAccounting {
    private static final long TICK_MS = Runners.SWEEP_SECONDS * 1000L; // the schedules' cron: every 5 s
    private static final Duration FIRESTORE_EXCUSE = Duration.ofSeconds(3L * Runners.FIRESTORE_CALL_SECONDS);
    private static final Duration IN_FLIGHT = Duration.ofSeconds(3);

    private SoakAccounting() {
    }

    /**
     * Each process fires each schedule at every 5 s tick while its schedule routes are loaded and it is not
     * suspended. A tick is coalesced (Quartz {@code stateful}: the firing waits for the process's own run of that
     * schedule, and the ticks it waited through become at most one late firing), excused (within a Firestore cut or
     * blackhole and {@link #FIRESTORE_EXCUSE} after it: a firing cannot record anything while Firestore is away; or
     * within {@link #IN_FLIGHT} before its process was killed or suspended), or expected: then a run of that
     * schedule or a counted skip on its base must land within {@link SoakChecks#FIRING_MATCH} of it.
     */
    static void firings(SoakChecks checks, Map<String, String> scheduleBases, List<FirestoreHistory.Skip> skips,
                        Map<String, List<Instant>> failedStarts, Timeline timeline) {
        Instant end = timeline.schedulesDisabled();
        List<Timeline.Window> firestoreDown = firestoreDown(timeline).stream()
                .map(w -> new Timeline.Window(w.from().minusSeconds(1), w.to().plus(FIRESTORE_EXCUSE))).toList();
        int expected = 0;
        int coalesced = 0;
        int excused = 0;
        int lost = 0;
        int events = 0;
        int failedTotal = 0;
        List<Instant> allFailed = new ArrayList<>();
        List<Timeline.Window> allAway = new ArrayList<>(firestoreDown);
        for (Map.Entry<String, String> schedule : scheduleBases.entrySet()) {
            List<Instant> ev = new ArrayList<>();
            checks.runs().stream().filter(r -> schedule.getKey().equals(r.scheduleId()))
                    .forEach(r -> ev.add(r.started()));
            skips.stream().filter(s -> s.baseId().equals(schedule.getValue())).forEach(s -> ev.add(s.at()));
            int outcomes = ev.size();
            List<Instant> failed = failedStarts.getOrDefault(schedule.getKey(), List.of());
            ev.addAll(failed);
            ev.sort(Comparator.naturalOrder());
            events += outcomes;
            failedTotal += failed.size();
            allFailed.addAll(failed);
            boolean[] used = new boolean[ev.size()];
            List<Instant> due = new ArrayList<>();
            for (Timeline.Proc p : timeline.procs()) {
                if (p.active == null) {
                    continue;
                }
                Instant until = p.died != null && p.died.isBefore(end) ? p.died : end;
                List<Run> own = checks.runs().stream().filter(r -> p.runnerId.equals(r.runnerId())
                        && schedule.getKey().equals(r.scheduleId()) && !r.started().isBefore(p.started)).toList();
                List<Timeline.Window> away = new ArrayList<>(firestoreDown);
                for (Timeline.Window w : p.suspensionsCopy()) {
                    away.add(new Timeline.Window(w.from().minus(IN_FLIGHT), w.to().plusSeconds(1)));
                }
                if (p.died != null) {
                    away.add(new Timeline.Window(p.died.minus(IN_FLIGHT), p.died.plusSeconds(1)));
                }
                allAway.addAll(away);
                for (long t = (p.active.toEpochMilli() / TICK_MS + 1) * TICK_MS; t < until.toEpochMilli() - 500;
                     t += TICK_MS) {
                    Instant tick = Instant.ofEpochMilli(t);
                    if (own.stream().anyMatch(r -> tick.isAfter(r.started().plusMillis(300))
                            && !tick.isAfter(r.ended().plusSeconds(1)))) {
                        coalesced++;
                    } else if (away.stream().anyMatch(w -> w.contains(tick))) {
                        excused++;
                    } else {
                        due.add(tick);
                    }
                }
            }
            due.sort(Comparator.naturalOrder());
            expected += due.size();
            for (Instant tick : due) {
                int match = -1;
                for (int i = 0; i < ev.size() && match < 0; i++) {
                    if (!used[i] && !ev.get(i).isBefore(tick.minusMillis(500))
                            && !ev.get(i).isAfter(tick.plus(SoakChecks.FIRING_MATCH))) {
                        match = i;
                    }
                }
                if (match >= 0) {
                    used[match] = true;
                } else {
                    lost++;
                    System.out.println("[soak] firing without a run or counted skip: schedule " + schedule.getKey()
                            + " at " + tick);
                }
            }
        }
        checks.add("firings expected (every 5 s per live runner and schedule)", expected + " (besides "
                + coalesced + " coalesced behind the process's own run, " + excused
                + " excused: Firestore away or runner dying); runs + counted skips: " + events, expected, null);
        List<Instant> outside = allFailed.stream().filter(t -> allAway.stream().noneMatch(w -> w.contains(t)))
                .sorted().toList();
        long failedOutside = outside.size();
        checks.add("firings whose start failed (the schedule route's logged ERROR): in all / outside Firestore faults"
                + " and a runner's own suspension or death", failedTotal + " / " + failedOutside
                + (outside.isEmpty() ? "" : " (first: " + outside.get(0) + ")"), failedOutside, 0.0);
        checks.add("firings with neither a run, a counted skip nor a logged failed start", String.valueOf(lost), lost,
                0.0);
    }

    private static final Pattern FAILED_START = Pattern.compile(
            "^(\\S+Z) .* Route integrity-schedule-(\\w+) failed: (.*)$", Pattern.MULTILINE);

    /**
     * The firings whose route failed, from the runners' logs, by schedule id: at the time logged, or that less the
     * Firestore call timeout when the start timed out (the firing itself came that much earlier).
     */
    static Map<String, List<Instant>> failedStarts(List<String> logs) {
        Map<String, List<Instant>> bySchedule = new HashMap<>();
        for (String log : logs) {
            Matcher m = FAILED_START.matcher(log);
            while (m.find()) {
                Instant at = Instant.parse(m.group(1));
                if (m.group(3).contains("timed out after")) {
                    at = at.minusSeconds(Runners.FIRESTORE_CALL_SECONDS);
                }
                bySchedule.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(at);
            }
        }
        return bySchedule;
    }

    /**
     * From a runner's death (SIGKILL, or the start of a SIGSTOP) to the terminal status of the run it held, less the
     * time no runner was live to sweep or recover (all dead or suspended) and the time Firestore was cut or
     * blackholed. Counted for runs closed by someone else: swept, or closed by startup recovery.
     */
    static void detection(SoakChecks checks, Timeline timeline) {
        List<Timeline.Window> firestoreDown = firestoreDown(timeline);
        long worst = -1;
        int measured = 0;
        for (Timeline.Proc p : timeline.procs()) {
            List<Instant> deaths = new ArrayList<>();
            if (p.killed) {
                deaths.add(p.died);
            }
            p.suspensionsCopy().forEach(w -> deaths.add(w.from()));
            for (Instant death : deaths) {
                for (Run r : checks.runs()) {
                    if (!p.runnerId.equals(r.runnerId()) || r.started().isAfter(death) || !r.ended().isAfter(death)
                            || r.ended().equals(Instant.MAX) || !(r.swept() || "error".equals(r.status())
                            && p.killed && death.equals(p.died))) {
                        continue;
                    }
                    long effective = 0;
                    for (Instant t = death; t.isBefore(r.ended()); t = t.plusMillis(100)) {
                        Instant at = t;
                        boolean blind = !timeline.anyLive(at) || firestoreDown.stream().anyMatch(w -> w.contains(at));
                        effective += blind ? 0 : 100;
                    }
                    measured++;
                    worst = Math.max(worst, effective);
                }
            }
        }
        Duration bound = Duration.ofSeconds(Runners.STALE_SECONDS + Runners.SWEEP_SECONDS);
        checks.add("worst detection latency, death to terminal status (bound: stale " + Runners.STALE_SECONDS
                + " s + sweep " + Runners.SWEEP_SECONDS + " s, slack " + SoakChecks.DETECTION_SLACK.toSeconds()
                + " s)", measured == 0 ? "none measured" : String.format("%.1f s over %d runs", worst / 1000.0,
                measured), worst / 1000.0, (double) bound.plus(SoakChecks.DETECTION_SLACK).toSeconds());
    }

    /** Start, end and least-squares slope over the last half of the steady runner's samples. */
    static void trend(SoakChecks checks, List<ProcessSampler.Sample> samples) {
        if (samples.isEmpty()) {
            checks.add("heap/threads/fds of the steady runner", "no sample", 1, 0.0);
            return;
        }
        ProcessSampler.Sample first = samples.get(0);
        ProcessSampler.Sample last = samples.get(samples.size() - 1);
        double half = last.seconds() / 2;
        List<ProcessSampler.Sample> late = samples.stream().filter(s -> s.seconds() >= half).toList();
        boolean enough = late.size() >= 10;
        String note = enough ? "" : " (fewer than 10 samples in the last half: reported, not judged)";
        double heap = ProcessSampler.slopePerMinute(late, ProcessSampler.Sample::heapMb);
        double threads = ProcessSampler.slopePerMinute(late, ProcessSampler.Sample::unpooled);
        int pooledMax = samples.stream().mapToInt(ProcessSampler.Sample::pooled).max().orElse(0);
        double fds = ProcessSampler.slopePerMinute(late, s -> s.fds());
        checks.add("steady runner heap after GC, MB: start / end / slope per min (last half)", String.format(
                "%.1f / %.1f / %+.2f%s", first.heapMb(), last.heapMb(), heap, note), heap,
                enough ? HEAP : null);
        checks.add("steady runner live threads: start / end", first.threads() + " / " + last.threads(),
                last.threads(), null);
        checks.add("steady runner threads of bounded pools (table split, Quartz, Throttle, HTTP, Firestore client, "
                + "heartbeats, request timer): start / end / most, against the sum of their maxima",
                String.format("%d / %d / %d (bound %d)", first.pooled(), last.pooled(), pooledMax, ProcessSampler.pooledBound()), (double) pooledMax,
                (double) ProcessSampler.pooledBound());
        checks.add("steady runner other threads: start / end / slope per min (last half)", String.format(
                "%d / %d / %+.2f%s", first.unpooled(), last.unpooled(), threads, note), threads,
                enough ? SoakChecks.THREADS_PER_MIN : null);
        checks.add("steady runner other threads that grew, by name (N: digits): start -> end", grown(first, last),
                0, null);
        checks.add("steady runner open fds: start / end / slope per min", String.format("%d / %d / %+.2f%s",
                first.fds(), last.fds(), fds, note), fds, enough ? SoakChecks.FDS_PER_MIN : null);
    }

    /** The kinds of other threads more numerous in {@code last} than in {@code first}. */
    private static String grown(ProcessSampler.Sample first, ProcessSampler.Sample last) {
        List<String> grew = new ArrayList<>();
        last.others().forEach((name, n) -> {
            int before = first.others().getOrDefault(name, 0);
            if (n > before) {
                grew.add(name + " " + before + " -> " + n);
            }
        });
        return grew.isEmpty() ? "none" : String.join("; ", grew);
    }

    private static List<Timeline.Window> firestoreDown(Timeline timeline) {
        return timeline.faults().stream().filter(f -> f.kind() == ChaosPlan.Kind.FIRESTORE_CUT
                || f.kind() == ChaosPlan.Kind.FIRESTORE_BLACKHOLE).map(Timeline.Fault::window).toList();
    }

    private static final Double HEAP = SoakChecks.HEAP_MB_PER_MIN;
}
