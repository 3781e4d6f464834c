package com.airtableintegrity.soak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.support.AirtableDoubleRequest;
import com.google.cloud.Timestamp;

/**
 * The soak's checks over what Firestore (the emulator) and the double's request log hold at the end, against the
 * {@link Timeline} of what the driver did. Each check is one row of the table; a row with a limit fails above it.
 */
final class SoakChecks {
    /** Slack for the sweep's own query and transaction on a loaded 2-core machine, above stale + sweep interval. */
    static final Duration DETECTION_SLACK = Duration.ofSeconds(2);
    /** A firing's run or counted skip lands within this of its cron time (Firestore reads and the transaction). */
    static final Duration FIRING_MATCH = Duration.ofSeconds(5);
    static final double HEAP_MB_PER_MIN = 1.0;
    static final double THREADS_PER_MIN = 0.5;
    static final double FDS_PER_MIN = 0.5;
    private static final Duration FAULT_GRACE = Duration.ofSeconds(2);

    /** One table row: {@code limit} null for a figure that is only reported. */
    record Row(String check, String value, Double measured, Double limit) {
        boolean failed() {
            return limit != null && measured != null && measured > limit;
        }
    }

    /** A run as the checks read it. */
    record Run(String id, String status, String baseId, String scheduleId, String runnerId, Instant started,
               Instant ended, boolean swept, Timestamp updateTime) {
    }

    private final List<Run> runs;
    private final Timeline timeline;
    private final List<Row> rows = new ArrayList<>();

    SoakChecks(List<Map<String, Object>> docs, Timeline timeline) {
        this.timeline = timeline;
        this.runs = docs.stream().map(SoakChecks::run).sorted(Comparator.comparing(Run::started)).toList();
    }

    private static Run run(Map<String, Object> d) {
        Timestamp ended = (Timestamp) d.get("ended_at");
        return new Run((String) d.get("id"), (String) d.get("status"), (String) d.get("base_id"),
                (String) d.get("schedule_id"), (String) d.get("runner_id"),
                RunCollection.toInstant((Timestamp) d.get("started_at")),
                ended == null ? Instant.MAX : RunCollection.toInstant(ended), d.get("swept_by") != null,
                (Timestamp) d.get("_update_time"));
    }

    List<Run> runs() {
        return runs;
    }

    List<Row> rows() {
        return rows;
    }

    void add(String check, String value, double measured, Double limit) {
        rows.add(new Row(check, value, measured, limit));
    }

    void statuses() {
        Map<String, Integer> by = new TreeMap<>();
        runs.forEach(r -> by.merge(r.status(), 1, Integer::sum));
        rows.add(new Row("runs by status", runs.size() + " runs: " + by, null, null));
        long running = runs.stream().filter(r -> "running".equals(r.status())).count();
        add("runs still `running` at the end", String.valueOf(running), running, 0.0);
    }

    void faults() {
        rows.add(new Row("faults injected by kind", timeline.counts().toString(), null, null));
        rows.add(new Row("Airtable faults by kind", timeline.airtableFaultCounts().toString(), null, null));
    }

    /** Pairs of runs of one base whose [started_at, ended_at] intersect. */
    void overlaps() {
        int pairs = 0;
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            for (int j = i + 1; j < runs.size(); j++) {
                Run a = runs.get(i);
                Run b = runs.get(j);
                if (a.baseId().equals(b.baseId()) && b.started().isBefore(a.ended())) {
                    pairs++;
                    if (first.isEmpty()) {
                        first.append(" (first: ").append(a.id()).append(' ').append(a.status()).append(" / ")
                                .append(b.id()).append(' ').append(b.status()).append(')');
                    }
                }
            }
        }
        add("overlapping runs of one base (started_at/ended_at)", pairs + first.toString(), pairs, 0.0);
    }

    /** Each request of a base is attributed to the runs of that base whose time window holds its arrival. */
    void requests(List<AirtableDoubleRequest> log) {
        int outside = 0;
        int inTwo = 0;
        int rateLimited = 0;
        AirtableDoubleRequest firstLimited = null;
        for (AirtableDoubleRequest r : log) {
            if (r.status() == 429 && r.fault() == null) {
                rateLimited++;
                firstLimited = firstLimited == null ? r : firstLimited;
            }
            if (r.baseId() == null) {
                continue;
            }
            long holders = runs.stream().filter(run -> run.baseId().equals(r.baseId())
                    && !r.arrival().isBefore(run.started()) && !r.arrival().isAfter(run.ended())).count();
            outside += holders == 0 ? 1 : 0;
            inTwo += holders > 1 ? 1 : 0;
        }
        rows.add(new Row("Airtable requests (double's log)", String.valueOf(log.size()), null, null));
        add("requests of a base inside two runs' windows", String.valueOf(inTwo), inTwo, 0.0);
        add("requests of a base outside every run of it", String.valueOf(outside), outside, 0.0);
        add("429s outside 429-storm faults", rateLimited + (firstLimited == null ? ""
                : " (first: " + firstLimited.arrival() + ", base " + firstLimited.baseId() + ")"), rateLimited, 0.0);
    }

    /** A document whose update time moved after the first terminal version the listener saw. */
    /**
     * A terminal status is final: no field of the run's outcome changes after its terminal write. The notification
     * outbox's fields ({@link FirestoreHistory#OUTBOX_FIELDS}) do: they record each notice's delivery.
     */
    void postTerminalWrites(FirestoreHistory history) throws Exception {
        int writes = 0;
        int unseen = 0;
        for (Map<String, Object> doc : history.runsNow()) {
            Map<String, Object> first = history.firstTerminalOutcome((String) doc.get("id"));
            if (first == null) {
                unseen += "running".equals(doc.get("status")) ? 0 : 1;
            } else if (!first.equals(FirestoreHistory.outcome(doc))) {
                writes++;
                System.out.println("[soak] outcome changed after the terminal write: " + doc.get("id"));
            }
        }
        add("run outcomes changed after their terminal write", writes + (unseen > 0 ? " (" + unseen
                + " terminal versions not seen by the listener)" : ""), writes + unseen, 0.0);
    }

    /** Every run that ended timeout or error overlapped an injected fault; a timeout that did not is false. */
    void unexplainedEndings() {
        List<Timeline.Fault> faults = timeline.faults().stream()
                .filter(f -> !"start".equals(f.what())).toList();
        int falseTimeouts = 0;
        int unexplainedErrors = 0;
        for (Run r : runs) {
            boolean explained = faults.stream().anyMatch(f -> r.started().isBefore(f.window().to().plus(FAULT_GRACE))
                    && f.window().from().isBefore(r.ended()));
            if (!explained && "timeout".equals(r.status())) {
                falseTimeouts++;
                System.out.println("[soak] false timeout: " + r);
            }
            if (!explained && "error".equals(r.status())) {
                unexplainedErrors++;
                System.out.println("[soak] error without a fault: " + r);
            }
        }
        add("healthy runs marked `timeout` (no fault overlapped)", String.valueOf(falseTimeouts), falseTimeouts, 0.0);
        add("`error` runs that overlapped no fault", String.valueOf(unexplainedErrors), unexplainedErrors, 0.0);
    }
}
