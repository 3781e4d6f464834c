package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paged reads for the REST API and the operator console: the runs newest first, filtered by status and base, a
 * schedule's latest runs, and a run's stored issues in {@code seq} order. Each page is one bounded query of at most {@code limit + 1} documents
 * (the one more tells whether a next page exists); nothing ever reads a whole collection.
 *
 * <p>Runs are ordered by {@code started_at} descending, then by document id descending, so that runs started in the
 * same microsecond still page with no overlap and no gap. With a filter, production Firestore needs the composite
 * indexes of {@code firestore.indexes.json} (the emulator needs none).
 */
public final class RunPages {

    /**
     * Where a page of runs ends: the last run's {@code started_at} (in microseconds since the epoch) and id, written
     * {@code <micros>-<runId>}, which the next page starts after.
     */
    public record Cursor(Timestamp startedAt, String runId) {
        private static final Pattern FORM = Pattern.compile("(\\d{1,18})-(.+)");

        public Cursor {
            Objects.requireNonNull(startedAt, "startedAt");
            RunIds.require(runId);
        }

        public String encode() {
            return (startedAt.getSeconds() * 1_000_000L + startedAt.getNanos() / 1_000) + "-" + runId;
        }

        /** @throws IllegalArgumentException when the text is not a cursor */
        public static Cursor parse(String text) {
            Matcher m = FORM.matcher(text == null ? "" : text);
            if (!m.matches() || !RunIds.isValid(m.group(2))) {
                throw new IllegalArgumentException("not a cursor");
            }
            long micros = Long.parseLong(m.group(1));
            return new Cursor(Timestamp.ofTimeSecondsAndNanos(micros / 1_000_000L,
                    (int) (micros % 1_000_000L) * 1_000), m.group(2));
        }
    }

    /** One page of runs (each with its id under {@code id}), and the cursor of the next page, or null. */
    public record RunPage(List<Map<String, Object>> runs, Cursor next) {
    }

    /** One page of a run's stored issues (each with its document id under {@code id}), and the next page's seq. */
    public record IssuePage(List<Map<String, Object>> issues, Long nextAfter) {
    }

    private final RunCollection store;

    public RunPages(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The runs newest first, at most {@code limit}.
     *
     * @param status only runs of this status, or all when null
     * @param baseId only runs of this base, or all when null
     * @param before the page starts after this run, or at the newest run when null
     */
    public RunPage runs(String status, String baseId, Cursor before, int limit) {
        Query query = store.runs();
        if (status != null) {
            query = query.whereEqualTo(STATUS, status);
        }
        if (baseId != null) {
            query = query.whereEqualTo(BASE_ID, baseId);
        }
        query = query.orderBy(STARTED_AT, Query.Direction.DESCENDING)
                .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING);
        if (before != null) {
            query = query.startAfter(before.startedAt(), before.runId());
        }
        List<QueryDocumentSnapshot> docs = store.await(query.limit(limit + 1).get(), "runs page",
                "runs (status " + status + ", base " + baseId + ", " + limit + " after "
                        + (before == null ? "the newest" : before.encode()) + ")").getDocuments();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (QueryDocumentSnapshot doc : docs.subList(0, Math.min(limit, docs.size()))) {
            runs.add(withId(doc));
        }
        Cursor next = null;
        if (docs.size() > limit) {
            QueryDocumentSnapshot last = docs.get(limit - 1);
            next = new Cursor(last.getTimestamp(STARTED_AT), last.getId());
        }
        return new RunPage(runs, next);
    }

    /**
     * The newest runs of a schedule first ({@code schedule_id == scheduleId}, by {@code started_at} then id,
     * descending), at most {@code limit}, each with its id under {@code id}: one bounded query, which production
     * Firestore answers from the index on {@code schedule_id} ASC, {@code started_at} DESC.
     */
    public List<Map<String, Object>> runsOfSchedule(String scheduleId, int limit) {
        RunIds.require("schedule", scheduleId);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        Query query = store.runs().whereEqualTo(SCHEDULE_ID, scheduleId)
                .orderBy(STARTED_AT, Query.Direction.DESCENDING)
                .orderBy(FieldPath.documentId(), Query.Direction.DESCENDING)
                .limit(limit);
        List<Map<String, Object>> runs = new ArrayList<>();
        for (QueryDocumentSnapshot doc : store.await(query.get(), "schedule runs",
                "runs of schedule " + scheduleId + " (the newest " + limit + ")").getDocuments()) {
            runs.add(withId(doc));
        }
        return runs;
    }

    /** The stored issues of a run in {@code seq} order, at most {@code limit}, after seq {@code afterSeq} if given. */
    public IssuePage issues(String runId, Long afterSeq, int limit) {
        return issues(runId, ISSUES_SUBCOLLECTION, null, afterSeq, limit);
    }

    /**
     * As {@link #issues(String, Long, int)}, from subcollection {@code issues} or {@code resolved}, only those whose
     * {@code state} is {@code state} when it is non-null (an index on state and seq serves it).
     */
    public IssuePage issues(String runId, String subcollection, String state, Long afterSeq, int limit) {
        RunIds.require(runId);
        Query query = store.runs().document(runId).collection(subcollection);
        if (state != null) {
            query = query.whereEqualTo("state", state);
        }
        query = query.orderBy(ISSUE_SEQ);
        if (afterSeq != null) {
            query = query.startAfter(afterSeq);
        }
        List<QueryDocumentSnapshot> docs = store.await(query.limit(limit + 1).get(), subcollection + " page",
                "run " + runId + " (" + limit + " " + (state == null ? "" : state + " ") + subcollection
                        + " after seq " + afterSeq + ")").getDocuments();
        List<Map<String, Object>> issues = new ArrayList<>();
        for (QueryDocumentSnapshot doc : docs.subList(0, Math.min(limit, docs.size()))) {
            issues.add(withId(doc));
        }
        Long next = docs.size() > limit ? docs.get(limit - 1).getLong(ISSUE_SEQ) : null;
        return new IssuePage(issues, next);
    }

    private static Map<String, Object> withId(QueryDocumentSnapshot doc) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", doc.getId());
        data.putAll(doc.getData());
        return data;
    }
}
