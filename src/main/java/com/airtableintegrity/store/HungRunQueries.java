package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.heartbeatOrStart;
import static com.airtableintegrity.store.RunCollection.toInstant;
import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static com.airtableintegrity.store.RunFields.*;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs left {@code running} by a runner that is gone: the hung-run sweep's paged query and its compare-and-set
 * {@code timeout} mark, and startup recovery's query for the runs of this runner.
 */
public final class HungRunQueries {

    public static final String HEARTBEAT_STALE_MESSAGE =
            "Runner stopped sending heartbeats (process ended or machine asleep)";

    private final RunCollection store;

    public HungRunQueries(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The clock the store's timestamps come from. */
    public Clock clock() {
        return store.clock();
    }

    /** What {@link #markTimeoutIfHung} did. */
    public enum MarkResult {
        MARKED_MAX_AGE, MARKED_HEARTBEAT_STALE,
        /** The doc is no longer {@code running} (or gone): left unchanged. */
        NOT_RUNNING,
        /** Still running, but neither rule holds at this moment (e.g. a heartbeat came in): left unchanged. */
        NOT_HUNG
    }

    /** Ids of runs with status {@code running} whose {@code runner_id} equals {@code runnerId} (startup recovery). */
    public List<String> findRunningRunsOf(String runnerId) {
        return findRunningRunsOf(runnerId, Instant.MAX);
    }

    /** As {@link #findRunningRunsOf(String)}, only the runs started before {@code cutoff} (or with no start time). */
    public List<String> findRunningRunsOf(String runnerId, Instant cutoff) {
        QuerySnapshot snapshot = store.await(
                store.runs().whereEqualTo(RUNNER_ID, runnerId).whereEqualTo(STATUS, STATUS_RUNNING).get(),
                "findRunningRunsOf", "runner " + runnerId);
        List<String> ids = new ArrayList<>();
        for (QueryDocumentSnapshot doc : snapshot.getDocuments()) {
            Timestamp started = doc.getTimestamp(STARTED_AT);
            if (started == null || toInstant(started).isBefore(cutoff)) {
                ids.add(doc.getId());
            }
        }
        return ids;
    }

    /**
     * A run found {@code running} by the sweep's query, as it was then.
     *
     * @param heartbeatAt        its {@code heartbeat_at}, else its {@code started_at}
     * @param maxDurationSeconds its deadline ({@code max_duration_seconds}), or null when the document has none
     */
    public record RunningRun(String id, Instant startedAt, Instant heartbeatAt, Long maxDurationSeconds) {
    }

    /**
     * Pages through {@code status == "running" AND started_at < cutoff ORDER BY started_at} ({@code pageSize} per
     * page, cursor {@code startAfter}) and hands each page's runs to {@code pageConsumer}. Each page query is
     * bounded by the call timeout.
     */
    public void forEachRunningStartedBefore(Instant cutoff, int pageSize, Consumer<List<RunningRun>> pageConsumer) {
        Query base = store.runs().whereEqualTo(STATUS, STATUS_RUNNING)
                .whereLessThan(STARTED_AT, toTimestamp(cutoff))
                .orderBy(STARTED_AT)
                .select(STARTED_AT, HEARTBEAT_AT, MAX_DURATION_SECONDS)
                .limit(pageSize);
        DocumentSnapshot cursor = null;
        int page = 0;
        while (true) {
            Query query = cursor == null ? base : base.startAfter(cursor);
            QuerySnapshot snapshot = store.await(query.get(), "sweep query (page " + page + ")",
                    "runs started before " + cutoff);
            List<QueryDocumentSnapshot> docs = snapshot.getDocuments();
            if (docs.isEmpty()) {
                return;
            }
            List<RunningRun> runs = new ArrayList<>(docs.size());
            for (QueryDocumentSnapshot doc : docs) {
                Timestamp beat = heartbeatOrStart(doc);
                runs.add(new RunningRun(doc.getId(), toInstant(doc.getTimestamp(STARTED_AT)),
                        beat == null ? null : toInstant(beat), doc.getLong(MAX_DURATION_SECONDS)));
            }
            pageConsumer.accept(runs);
            if (docs.size() < pageSize) {
                return;
            }
            cursor = docs.get(docs.size() - 1);
            page++;
        }
    }

    /**
     * One compare-and-set: re-reads the run and marks it {@code timeout} only if it is still {@code running} and a rule
     * holds now: {@code max_age} (started more than maxAge ago) first, else {@code heartbeat_stale} (heartbeat_at,
     * fallback started_at, older than heartbeatStaleAfter). Sets ended_at, duration_ms, error_message, swept_by and
     * sweep_rule.
     */
    public MarkResult markTimeoutIfHung(String runId, Duration maxAge, Duration heartbeatStaleAfter,
                                        String sweeperId) {
        return store.inRunUpdate(runId, "sweep mark", "sweep mark (read)", (writes, snap) -> {
            if (!snap.exists() || !STATUS_RUNNING.equals(snap.getString(STATUS))) {
                return MarkResult.NOT_RUNNING;
            }
            Instant now = store.nowInstant();
            Timestamp startedAt = snap.getTimestamp(STARTED_AT);
            Timestamp beat = heartbeatOrStart(snap);
            String rule;
            String message;
            MarkResult result;
            if (startedAt != null && toInstant(startedAt).isBefore(now.minus(maxAge))) {
                rule = RULE_MAX_AGE;
                message = maxAgeMessage(maxAge);
                result = MarkResult.MARKED_MAX_AGE;
            } else if (beat != null && toInstant(beat).isBefore(now.minus(heartbeatStaleAfter))) {
                rule = RULE_HEARTBEAT_STALE;
                message = HEARTBEAT_STALE_MESSAGE;
                result = MarkResult.MARKED_HEARTBEAT_STALE;
            } else {
                return MarkResult.NOT_HUNG;
            }
            Map<String, Object> update = new LinkedHashMap<>();
            store.putTerminal(update, snap, STATUS_TIMEOUT, message);
            update.put(SWEPT_BY, sweeperId);
            update.put(SWEEP_RULE, rule);
            writes.update(snap, update);
            return result;
        });
    }

    /** "Run exceeded maximum duration of N minutes ..." (N seconds when maxAge is not whole minutes). */
    public static String maxAgeMessage(Duration maxAge) {
        long seconds = maxAge.toSeconds();
        String amount = seconds % 60 == 0 ? (seconds / 60) + " minutes" : seconds + " seconds";
        return "Run exceeded maximum duration of " + amount + " and was marked as timeout by the hung-run sweep";
    }
}
