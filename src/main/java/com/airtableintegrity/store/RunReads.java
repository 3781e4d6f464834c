package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Bounded reads of run and lock documents, for the REST API, the health check, JMX and tests. */
public final class RunReads {

    private final RunCollection store;
    private final RunPages pages;

    public RunReads(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
        this.pages = new RunPages(store);
    }

    /** The paged reads (runs by filter, a run's issues) over the same collection. */
    public RunPages pages() {
        return pages;
    }

    /** The name of the runs collection. */
    public String collection() {
        return store.collection();
    }

    /** The run document's data, or {@code null} if it does not exist (for tests and JMX). */
    public Map<String, Object> read(String runId) {
        RunIds.require(runId);
        DocumentSnapshot snap = store.await(store.runs().document(runId).get(), "read", "run " + runId);
        return snap.exists() ? snap.getData() : null;
    }

    /** The newest runs first (by {@code started_at}), at most {@code limit}, each with its id under {@code id}. */
    public List<Map<String, Object>> latestRuns(int limit) {
        QuerySnapshot snap = store.await(
                store.runs().orderBy(STARTED_AT, Query.Direction.DESCENDING).limit(limit).get(),
                "latestRuns", "the latest " + limit + " runs");
        List<Map<String, Object>> result = new ArrayList<>();
        for (QueryDocumentSnapshot doc : snap.getDocuments()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", doc.getId());
            data.putAll(doc.getData());
            result.add(data);
        }
        return result;
    }

    /** One bounded read of the run collection: throws {@link RunStoreException} when Firestore cannot be reached. */
    public void ping() {
        store.await(store.runs().select(STATUS).limit(1).get(), "ping", "collection " + store.collection());
    }

    /**
     * The per-base lock documents, at most {@code limit}: for each base the run that last held it and the firings
     * skipped because a live run held it ({@code skipped_count}, {@code last_skipped_at}), under {@code base_id}.
     */
    public List<Map<String, Object>> bases(int limit) {
        QuerySnapshot snap = store.await(store.locks().limit(limit).get(), "bases", "the lock documents");
        List<Map<String, Object>> result = new ArrayList<>();
        for (QueryDocumentSnapshot doc : snap.getDocuments()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("base_id", doc.getId());
            data.put("last_run_id", doc.getString(LOCK_RUN_ID));
            Long skipped = doc.getLong(LOCK_SKIPPED_COUNT);
            data.put(LOCK_SKIPPED_COUNT, skipped == null ? 0L : skipped);
            data.put(LOCK_LAST_SKIPPED_AT, doc.getTimestamp(LOCK_LAST_SKIPPED_AT));
            result.add(data);
        }
        return result;
    }

    /** The lock document of a base ({@code <coll>_locks/{baseId}}), or {@code null}. */
    public Map<String, Object> readLock(String baseId) {
        DocumentSnapshot snap = store.await(store.locks().document(baseId).get(), "readLock", "base " + baseId);
        return snap.exists() ? snap.getData() : null;
    }
}
