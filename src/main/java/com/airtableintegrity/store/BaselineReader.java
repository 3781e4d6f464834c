package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunFields.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.airtableintegrity.diff.IssueState;
import com.airtableintegrity.diff.IssueState.RuleIssues;
import com.airtableintegrity.diff.IssueState.Seen;
import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * Reads a chain's baseline for {@link IssueStates#load}: the chain document, the run it names, that run's manifest
 * and state documents, each checked; what is missing or malformed is a {@link IssueStates.None} naming it.
 */
final class BaselineReader {
    private static final int READ_PAGE = 8;

    private final RunCollection store;

    BaselineReader(RunCollection store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** See {@link IssueStates#load}. */
    IssueStates.Baseline load(String chain, String baseId) {
        try {
            DocumentSnapshot pointer = store.await(IssueStates.chainDocument(store, chain).get(), "read baseline chain",
                    "chain " + chain);
            String runId = pointer.exists() ? pointer.getString(LOCK_RUN_ID) : null;
            if (runId == null || runId.isBlank()) {
                return new IssueStates.None("no earlier run of this schedule ended success or warning");
            }
            if (!RunIds.isValid(runId)) {
                return new IssueStates.None("the baseline chain names run '" + runId + "', which is not a run id");
            }
            DocumentSnapshot run = store.await(store.runs().document(runId).get(), "read baseline run",
                    "run " + runId);
            if (!run.exists()) {
                return new IssueStates.None("baseline run " + runId + " no longer exists");
            }
            String status = run.getString(STATUS);
            if (!STATUS_SUCCESS.equals(status) && !STATUS_WARNING.equals(status)) {
                return new IssueStates.None("baseline run " + runId + " ended '" + status + "', not success or warning");
            }
            if (!Objects.equals(baseId, run.getString(BASE_ID))) {
                return new IssueStates.None("baseline run " + runId + " scanned base " + run.getString(BASE_ID)
                        + ", not this run's base " + baseId);
            }
            return new IssueStates.Found(read(runId, manifest(runId, run.get(IssueStates.ISSUE_STATE)), baseId));
        } catch (MalformedState e) {
            return new IssueStates.None(e.getMessage());
        } catch (RunStoreException e) {
            return new IssueStates.None("the baseline could not be read: " + e.getMessage());
        }
    }

    private static final class MalformedState extends RuntimeException {
        MalformedState(String message) {
            super(message);
        }
    }

    private static IssueStates.Manifest manifest(String runId, Object field) {
        String where = "baseline run " + runId + "'s issue_state ";
        if (!(field instanceof Map<?, ?> m) || !(m.get("documents") instanceof Long documents)
                || !(m.get("entries") instanceof Long entries) || !(m.get("tables") instanceof List<?> list)) {
            throw new MalformedState(where + "is missing or malformed");
        }
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> t) || !(t.get("table") instanceof String table)
                    || !(t.get("rules") instanceof List<?> rules)
                    || !rules.stream().allMatch(String.class::isInstance)) {
                throw new MalformedState(where + "has a malformed table entry");
            }
            tables.put(table, rules.stream().map(String.class::cast).toList());
        }
        return new IssueStates.Manifest(documents, entries, tables);
    }

    private IssueState read(String runId, IssueStates.Manifest manifest, String baseId) {
        Map<String, Map<String, List<Part>>> parts = new LinkedHashMap<>();
        CollectionReference source = store.runs().document(runId).collection(IssueStates.STATE_SUBCOLLECTION);
        long documents = 0;
        long entries = 0;
        String after = null;
        while (true) {
            Query page = source.orderBy(FieldPath.documentId()).limit(READ_PAGE);
            if (after != null) {
                page = page.startAfter(after);
            }
            List<QueryDocumentSnapshot> docs = store.await(page.get(), "read issue state", "run " + runId)
                    .getDocuments();
            for (QueryDocumentSnapshot doc : docs) {
                Part part = Part.of(runId, doc, manifest);
                parts.computeIfAbsent(part.table, t -> new LinkedHashMap<>())
                        .computeIfAbsent(part.rule, r -> new ArrayList<>()).add(part);
                documents++;
                entries += part.records.size();
                after = doc.getId();
            }
            if (docs.size() < READ_PAGE) {
                break;
            }
        }
        if (documents != manifest.documents() || entries != manifest.entries()) {
            throw new MalformedState("baseline run " + runId + "'s issue state is incomplete: " + documents
                    + " documents with " + entries + " entries, its run document says " + manifest.documents()
                    + " with " + manifest.entries());
        }
        Map<String, Map<String, RuleIssues>> tables = new LinkedHashMap<>();
        manifest.tables().forEach((table, rules) -> {
            Map<String, RuleIssues> byRule = new LinkedHashMap<>();
            for (String rule : rules) {
                byRule.put(rule, join(runId, table, rule, parts.getOrDefault(table, Map.of())
                        .getOrDefault(rule, List.of())));
            }
            tables.put(table, byRule);
        });
        return new IssueState(runId, baseId, tables);
    }

    private static RuleIssues join(String runId, String table, String rule, List<Part> parts) {
        List<String> records = new ArrayList<>();
        List<Seen> seen = new ArrayList<>();
        for (Part part : parts) {
            records.addAll(part.records);
            seen.addAll(part.firstSeen);
        }
        try {
            return new RuleIssues(records.toArray(String[]::new), seen.toArray(Seen[]::new));
        } catch (IllegalArgumentException e) {
            throw new MalformedState("baseline run " + runId + "'s issue state of table '" + table + "', rule "
                    + rule + " is malformed: " + e.getMessage());
        }
    }

    /** One state document, checked. */
    private record Part(String table, String rule, List<String> records, List<Seen> firstSeen) {
        static Part of(String runId, DocumentSnapshot doc, IssueStates.Manifest manifest) {
            String where = "baseline run " + runId + "'s issue state document " + doc.getId() + " ";
            Object table = doc.get("table");
            Object rule = doc.get("rule");
            if (!(table instanceof String t) || !(rule instanceof String r)
                    || !manifest.tables().getOrDefault(t, List.of()).contains(r)) {
                throw new MalformedState(where + "names a table and rule its run document does not list");
            }
            if (!(doc.get("entries") instanceof Long entries) || entries < 1
                    || !(doc.get("seen_runs") instanceof Long runCount) || runCount < 1 || runCount > entries) {
                throw new MalformedState(where + "has no count of entries and runs");
            }
            List<Seen> runs = new ArrayList<>();
            StateCodec.Reader runIds = reader(doc, "seen_run_ids", where);
            StateCodec.Reader seenAt = reader(doc, "seen_at", where);
            StateCodec.Reader records = reader(doc, "records", where);
            StateCodec.Reader firstSeen = reader(doc, "first_seen", where);
            List<String> ids = new ArrayList<>();
            List<Seen> seen = new ArrayList<>();
            try {
                for (long i = 0; i < runCount; i++) {
                    runs.add(new Seen(runIds.string(), seenAt.instant()));
                }
                runIds.end();
                seenAt.end();
                for (long i = 0; i < entries; i++) {
                    ids.add(records.string());
                    long index = firstSeen.varint();
                    if (index < 0 || index >= runs.size()) {
                        throw new IllegalArgumentException("first_seen names run " + index + " of " + runs.size());
                    }
                    seen.add(runs.get((int) index));
                }
                records.end();
                firstSeen.end();
            } catch (IllegalArgumentException e) {
                throw new MalformedState(where + "is malformed: " + e.getMessage());
            }
            return new Part(t, r, ids, seen);
        }

        private static StateCodec.Reader reader(DocumentSnapshot doc, String field, String where) {
            if (!(doc.get(field) instanceof Blob blob)) {
                throw new MalformedState(where + "has no " + field + " bytes");
            }
            return new StateCodec.Reader(field, blob);
        }
    }
}
