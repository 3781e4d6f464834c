package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.rules.Issue;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.WriteBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Stores a run's issues beside it, in bounded batches: {@code <collection>/{runId}/issues/{seq}}. */
public final class IssueWriter {

    /** Firestore's limit of writes per batch. */
    public static final int MAX_BATCH_WRITES = 500;
    /**
     * Bytes of issue documents per batch: Firestore rejects a request over 10 MiB (RESOURCE_EXHAUSTED); this leaves
     * room for field names and the request's own framing.
     */
    public static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;

    private final RunCollection store;

    public IssueWriter(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Writes the issues to {@code <coll>/{runId}/issues/{seq}} ({@code seq} 0-based; the doc id is the zero-padded
     * seq, so a retried write overwrites instead of duplicating), in batches of at most {@link #MAX_BATCH_WRITES}
     * documents and about {@link #MAX_BATCH_BYTES} bytes.
     *
     * @return how many were written; on failure {@link IssuesWriteException} tells how many were written before it
     */
    public int writeIssues(String runId, List<Issue> issues) {
        return writeIssues(runId, issues, issue -> Map.of());
    }

    /** As {@link #writeIssues(String, List)}, each issue's document with the fields {@code extra} gives it. */
    public int writeIssues(String runId, List<Issue> issues, Function<Issue, Map<String, Object>> extra) {
        List<Map<String, Object>> docs = new ArrayList<>(issues == null ? 0 : issues.size());
        for (int i = 0; issues != null && i < issues.size(); i++) {
            Map<String, Object> doc = issueDocument(issues.get(i), i);
            doc.putAll(extra.apply(issues.get(i)));
            docs.add(doc);
        }
        return write(runId, ISSUES_SUBCOLLECTION, docs);
    }

    /**
     * Writes documents (flat maps of strings, numbers, timestamps) to {@code <coll>/{runId}/{subcollection}/{seq}},
     * batched and overwriting on retry as {@link #writeIssues(String, List)} does.
     */
    public int write(String runId, String subcollection, List<Map<String, Object>> docs) {
        RunIds.require(runId);
        if (docs == null || docs.isEmpty()) {
            return 0;
        }
        CollectionReference target = store.runs().document(runId).collection(subcollection);
        int written = 0;
        while (written < docs.size()) {
            WriteBatch batch = store.batch();
            int count = 0;
            long bytes = 0;
            for (int i = written; i < docs.size() && count < MAX_BATCH_WRITES; i++) {
                long size = approximateBytes(docs.get(i));
                if (count > 0 && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.set(target.document(String.format("%06d", (long) i)), docs.get(i));
                count++;
                bytes += size;
            }
            try {
                store.await(batch.commit(), "write " + subcollection + " (" + count + " from seq " + written + ")",
                        "run " + runId);
            } catch (RunStoreException e) {
                throw new IssuesWriteException(written, e);
            }
            written += count;
        }
        return written;
    }

    /** Storing issues failed after {@code written} of them were stored. */
    public static final class IssuesWriteException extends RunStoreException {
        private final int written;

        IssuesWriteException(int written, RunStoreException cause) {
            super(cause.getMessage(), cause);
            this.written = written;
        }

        public int written() {
            return written;
        }
    }

    private static Map<String, Object> issueDocument(Issue issue, long seq) {
        Map<String, Object> doc = new HashMap<>();
        doc.put(ISSUE_TABLE, issue.table());
        doc.put(ISSUE_RECORD_ID, issue.recordId());
        doc.put(ISSUE_FIELD, issue.field());
        doc.put(ISSUE_RULE, issue.rule());
        doc.put(ISSUE_VALUE, issue.value());
        doc.put(ISSUE_MESSAGE, issue.message());
        doc.put(ISSUE_SEQ, seq);
        return doc;
    }

    /** Upper bound of a document's size: UTF-8 takes at most 3 bytes per Java char; names and numbers ~16 each. */
    private static long approximateBytes(Map<String, Object> doc) {
        long bytes = 64;
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            bytes += e.getKey().length() + 16 + (e.getValue() instanceof String s ? 3L * s.length() : 0);
        }
        return bytes;
    }
}
