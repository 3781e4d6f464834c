package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.airtableintegrity.diff.IssueState;
import com.airtableintegrity.diff.IssueState.Seen;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.WriteBatch;

/**
 * A run's issue state ({@link IssueState}) in Firestore, and the chain of baselines.
 * <ul>
 *   <li>The state: {@code <runs>/{runId}/issue_state/{seq}}, each document one part of one rule's issues of one table
 *       ({@code table}, {@code rule}, {@code entries} record ids in {@code records}, each with its {@code first_seen}
 *       index into the {@code seen_runs} runs of {@code seen_run_ids} / {@code seen_at}; the lists packed as bytes by
 *       {@link StateCodec}), at most {@value #MAX_DOCUMENT_BYTES} bytes, far under Firestore's 1 MiB. The run document's
 *       {@code issue_state} field (its {@link Manifest}) names how many documents and entries it has and every table
 *       and rule key it covers; it is written with the terminal status, so a state without it is not one.</li>
 *   <li>The chain: {@code <runs>_baselines/{chain}} (a schedule's id, {@code default} for the configured schedule)
 *       names the chain's latest run that ended {@code success} or {@code warning} with its state written. It moves in
 *       the same atomic commit as that run's terminal status ({@link RunTransactions#finishIfRunning}), and only
 *       forward (to a run that started later), so a crash can neither lose nor double a baseline, and two runs closing
 *       together cannot interleave.</li>
 * </ul>
 * Loading checks everything it reads; a baseline that is missing, incomplete or malformed is {@link None}, with why.
 */
public final class IssueStates {
    public static final String STATE_SUBCOLLECTION = "issue_state";
    public static final String BASELINES_SUFFIX = "_baselines";
    /** The run document's field holding its state's {@link Manifest}. */
    public static final String ISSUE_STATE = "issue_state";
    /** The chain of runs that come from no schedule document (the configured schedule, manual runs of it). */
    public static final String DEFAULT_CHAIN = "default";
    static final int MAX_DOCUMENT_BYTES = 512 * 1024;
    private static final int MAX_BATCH_BYTES = 4 * 1024 * 1024;
    private static final String SIZE = "_bytes";

    private final RunCollection store;

    public IssueStates(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The chain a run belongs to. */
    public static String chain(String scheduleId) {
        return scheduleId == null ? DEFAULT_CHAIN : scheduleId;
    }

    /** What the run document says of its state: documents, entries, and each table's rule keys. */
    public record Manifest(long documents, long entries, Map<String, List<String>> tables) {
        public Map<String, Object> toDocument() {
            List<Map<String, Object>> list = new ArrayList<>();
            tables.forEach((table, rules) -> {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("table", table);
                t.put("rules", rules);
                list.add(t);
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("documents", documents);
            m.put("entries", entries);
            m.put("tables", list);
            return m;
        }
    }

    /** A baseline found and read whole, or none. */
    public sealed interface Baseline permits Found, None {
    }

    public record Found(IssueState state) implements Baseline {
    }

    /** No baseline: {@code reason} says why, for the run document and the log. */
    public record None(String reason) implements Baseline {
    }

    // ------------------------------------------------------------------------------------------ write

    /** A state ready to write: its documents (in order) and the manifest the run document gets. */
    public record Prepared(String runId, List<Map<String, Object>> documents, long[] sizes, long bytes,
                           Manifest manifest) {
        /**
         * Small enough to go in the terminal commit itself (most runs): no extra round trip at the close, and the
         * state, the status and the chain move in one atomic write.
         */
        public boolean inline() {
            return documents.size() <= INLINE_MAX_DOCUMENTS && bytes <= INLINE_MAX_BYTES;
        }
    }

    static final int INLINE_MAX_DOCUMENTS = 16;
    static final long INLINE_MAX_BYTES = 2L * 1024 * 1024;

    /** Encodes the state into documents of at most {@value #MAX_DOCUMENT_BYTES} bytes. */
    public Prepared prepare(IssueState state) {
        RunIds.require(state.runId());
        List<Map<String, Object>> documents = encode(state);
        long[] sizes = new long[documents.size()];
        long bytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = ((Number) documents.get(i).remove(SIZE)).longValue();
            bytes += sizes[i];
        }
        return new Prepared(state.runId(), documents, sizes, bytes,
                new Manifest(documents.size(), state.size(), state.ruleKeys()));
    }

    /**
     * Writes a state too large for the terminal commit ahead of it, in batches; ids are sequence numbers, so a retry
     * overwrites. Until the terminal commit names it, no run reads it.
     * @throws RunStoreException when a batch fails
     */
    public void writeAhead(Prepared prepared) {
        List<Map<String, Object>> documents = prepared.documents();
        int written = 0;
        while (written < documents.size()) {
            WriteBatch batch = store.batch();
            int count = 0;
            long bytes = 0;
            for (int i = written; i < documents.size() && count < 500; i++) {
                long size = prepared.sizes()[i];
                if (count > 0 && bytes + size > MAX_BATCH_BYTES) {
                    break;
                }
                batch.set(document(store, prepared.runId(), i), documents.get(i));
                count++;
                bytes += size;
            }
            store.await(batch.commit(), "write issue state (" + count + " documents from " + written + ")",
                    "run " + prepared.runId());
            written += count;
        }
    }

    /** The state document {@code seq} of a run. */
    static DocumentReference document(RunCollection store, String runId, int seq) {
        return store.runs().document(runId).collection(STATE_SUBCOLLECTION).document(String.format("%06d", seq));
    }

    static List<Map<String, Object>> encode(IssueState state) {
        List<Map<String, Object>> documents = new ArrayList<>();
        state.tables().forEach((table, rules) -> rules.forEach((rule, issues) -> {
            long fixed = utf8(table) + utf8(rule) + 200;
            int i = 0;
            while (i < issues.size()) {
                StateCodec.Writer records = new StateCodec.Writer();
                StateCodec.Writer firstSeen = new StateCodec.Writer();
                StateCodec.Writer seenRuns = new StateCodec.Writer();
                StateCodec.Writer seenAt = new StateCodec.Writer();
                Map<String, Long> seenIndex = new HashMap<>();
                long entries = 0;
                long bytes = fixed;
                while (i < issues.size()) {
                    Seen seen = issues.firstSeen()[i];
                    Long index = seenIndex.get(seen.runId());
                    long size = StateCodec.stringSize(issues.records()[i])
                            + StateCodec.varintSize(index == null ? seenIndex.size() : index)
                            + (index == null ? StateCodec.stringSize(seen.runId()) + StateCodec.instantSize(seen.at()) : 0);
                    if (entries > 0 && bytes + size > MAX_DOCUMENT_BYTES) {
                        break;
                    }
                    if (index == null) {
                        index = (long) seenIndex.size();
                        seenIndex.put(seen.runId(), index);
                        seenRuns.string(seen.runId());
                        seenAt.instant(seen.at());
                    }
                    records.string(issues.records()[i]);
                    firstSeen.varint(index);
                    entries++;
                    bytes += size;
                    i++;
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("table", table);
                doc.put("rule", rule);
                doc.put("entries", entries);
                doc.put("records", records.blob());
                doc.put("first_seen", firstSeen.blob());
                doc.put("seen_runs", (long) seenIndex.size());
                doc.put("seen_run_ids", seenRuns.blob());
                doc.put("seen_at", seenAt.blob());
                doc.put(SIZE, bytes);
                documents.add(doc);
            }
        }));
        return documents;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------------------------------ chain

    static DocumentReference chainDocument(RunCollection store, String chain) {
        return store.sibling(store.collection() + BASELINES_SUFFIX).document(chain);
    }

    // ------------------------------------------------------------------------------------------ read

    /**
     * The baseline of a run of base {@code baseId} in chain {@code chain}: the chain's latest run, read whole and
     * checked. Never throws for what it finds: a Firestore failure, a missing or malformed document is {@link None}.
     */
    public Baseline load(String chain, String baseId) {
        return new BaselineReader(store).load(chain, baseId);
    }

    /** For the chain pointer: its fields when run {@code runId} of {@code baseId} started at {@code startedAt}. */
    static Map<String, Object> chainFields(String runId, String baseId, Timestamp startedAt, Instant now) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(LOCK_RUN_ID, runId);
        doc.put(BASE_ID, baseId);
        doc.put(STARTED_AT, startedAt);
        doc.put("advanced_at", RunCollection.toTimestamp(now));
        return doc;
    }
}
