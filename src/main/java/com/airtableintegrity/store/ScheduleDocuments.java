package com.airtableintegrity.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentChange;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * Schedules as documents ({@code integrity_schedules/{id}}, issue 10's model): {@code name}, {@code base_id},
 * {@code cron}, {@code time_zone}, {@code enabled}, {@code tables} (each {@code name} and {@code rules}, in the shapes
 * of {@code integrity.tables}), optional {@code max_duration_seconds} and {@code request_timeout_seconds},
 * {@code created_at} and {@code updated_at}. Every call is bounded like every other store call; an id that is not of
 * the document-id form never reaches Firestore, so no id can address another collection or a sub-collection.
 */
public final class ScheduleDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleDocuments.class);
    public static final String DEFAULT_COLLECTION = "integrity_schedules";

    /** A stored schedule with its id and times. */
    public record Stored(String id, ScheduleSpec spec, Timestamp createdAt, Timestamp updatedAt) {
    }

    private final RunCollection store;
    private final CollectionReference schedules;

    public ScheduleDocuments(RunCollection store, String collection) {
        this.store = Objects.requireNonNull(store, "store");
        this.schedules = store.sibling(collection);
    }

    /** Stores a new schedule; returns its id. */
    public String create(ScheduleSpec spec) {
        DocumentReference ref = schedules.document();
        Map<String, Object> doc = toDocument(spec);
        Timestamp now = RunCollection.toTimestamp(store.clock().instant());
        doc.put("created_at", now);
        doc.put("updated_at", now);
        store.await(ref.create(doc), "create schedule", "schedule " + ref.getId());
        return ref.getId();
    }

    public Optional<Stored> read(String id) {
        DocumentSnapshot snap = store.await(document(id).get(), "read schedule", "schedule " + id);
        return snap.exists() ? Optional.of(fromDocument(snap)) : Optional.empty();
    }

    /** True when the collection holds no schedule document (one bounded read of at most one document). */
    public boolean isEmpty() {
        return store.await(schedules.limit(1).get(), "look for schedules", "collection " + schedules.getId())
                .isEmpty();
    }

    /**
     * Every schedule document, as one snapshot: the schedules, and the documents that are not schedules (written by
     * hand with a field of the wrong type), each naming its id and the field.
     */
    public Changes all() {
        List<QueryDocumentSnapshot> docs = store.await(schedules.get(), "list schedules",
                "collection " + schedules.getId()).getDocuments();
        List<Stored> stored = new ArrayList<>();
        List<MalformedSchedule> malformed = new ArrayList<>();
        for (QueryDocumentSnapshot doc : docs) {
            parse(doc, stored, malformed);
        }
        return new Changes(stored, malformed, List.of(), docs.isEmpty());
    }

    /**
     * At most {@code limit} schedules by name (then id), after {@code after} (null: from the first). Only documents
     * whose {@code name} is a string are in this order; any other document is malformed, and
     * {@link #watch the listener} reports it.
     */
    public SchedulePages.Page page(SchedulePages.Cursor after, int limit) {
        Query query = schedules.whereGreaterThanOrEqualTo("name", "").orderBy("name").orderBy(FieldPath.documentId());
        if (after != null) {
            query = query.startAfter(after.name(), after.id());
        }
        List<QueryDocumentSnapshot> docs = store.await(query.limit(limit + 1).get(), "list schedules",
                "collection " + schedules.getId()).getDocuments();
        List<QueryDocumentSnapshot> shown = docs.size() > limit ? docs.subList(0, limit) : docs;
        SchedulePages.Cursor next = null;
        if (docs.size() > limit) {
            QueryDocumentSnapshot last = shown.get(shown.size() - 1);
            next = new SchedulePages.Cursor(last.getString("name"), last.getId());
        }
        List<Stored> stored = new ArrayList<>();
        List<MalformedSchedule> notShown = new ArrayList<>(); // ScheduleSync names them
        shown.forEach(doc -> parse(doc, stored, notShown));
        return new SchedulePages.Page(stored, next);
    }

    /** How many schedule documents the collection holds (one aggregation query, bounded as every call). */
    public long count() {
        return store.await(schedules.count().get(), "count schedules", "collection " + schedules.getId()).getCount();
    }

    private static void parse(DocumentSnapshot doc, List<Stored> stored, List<MalformedSchedule> malformed) {
        try {
            stored.add(fromDocument(doc));
        } catch (MalformedSchedule e) {
            malformed.add(e);
        }
    }

    /**
     * Replaces a schedule's fields, keeping its {@code created_at}; conditioned on the document as read, so a schedule
     * deleted meanwhile is not brought back.
     * @return false when there is no such schedule (nothing is written)
     */
    public boolean replace(String id, ScheduleSpec spec) {
        return replace(id, spec, null);
    }

    /** A replace refused because the document changed since the version its writer read. */
    public static final class ChangedMeanwhile extends RuntimeException {
        private final Timestamp updatedAt;

        ChangedMeanwhile(Timestamp updatedAt) {
            super("changed at " + updatedAt);
            this.updatedAt = updatedAt;
        }

        /** When the document was last written. */
        public Timestamp updatedAt() {
            return updatedAt;
        }
    }

    /**
     * As {@link #replace(String, ScheduleSpec)}, only if the document's {@code updated_at} is still {@code expected}
     * (null: any): its writer read that version, and another save since must not be silently overwritten.
     *
     * @throws ChangedMeanwhile when it is not, with nothing written
     */
    public boolean replace(String id, ScheduleSpec spec, Timestamp expected) {
        DocumentReference ref = document(id);
        Map<String, Object> doc = toDocument(spec);
        return store.compareAndSet("replace schedule", "schedule " + id, writes -> {
            DocumentSnapshot snap = store.await(ref.get(), "replace schedule (read)", "schedule " + id);
            if (!snap.exists()) {
                return false;
            }
            Timestamp current = snap.getTimestamp("updated_at");
            if (expected != null && !expected.equals(current)) {
                throw new ChangedMeanwhile(current);
            }
            doc.put("created_at", snap.getTimestamp("created_at"));
            doc.put("updated_at", RunCollection.toTimestamp(store.clock().instant()));
            writes.replace(snap, doc);
            return true;
        });
    }

    /** @return false when there was no such schedule */
    public boolean delete(String id) {
        DocumentReference ref = document(id);
        return store.compareAndSet("delete schedule", "schedule " + id, writes -> {
            DocumentSnapshot snap = store.await(ref.get(), "delete schedule (read)", "schedule " + id);
            if (snap.exists()) {
                writes.delete(snap);
            }
            return snap.exists();
        });
    }

    /**
     * What one snapshot of the collection changed: the schedules added or modified, the documents among those that
     * are not schedules, the ids removed, and whether the collection is now empty. The first snapshot holds every
     * document as added.
     */
    public record Changes(List<Stored> changed, List<MalformedSchedule> malformed, List<String> removed,
                          boolean collectionEmpty) {
        /** How many documents this snapshot carried. */
        public int documents() {
            return changed.size() + malformed.size() + removed.size();
        }
    }

    /**
     * Calls {@code onChanges} (on {@code executor}) with each change of the schedule documents, starting with every
     * document there is; only the documents that changed are read again. Close the handle to stop listening.
     */
    public AutoCloseable watch(Executor executor, Consumer<Changes> onChanges) {
        ListenerRegistration registration = schedules.addSnapshotListener(executor, (snap, error) -> {
            if (error != null) {
                LOG.warn("Watching the schedules failed: {}", error.toString());
                return;
            }
            List<Stored> changed = new ArrayList<>();
            List<MalformedSchedule> malformed = new ArrayList<>();
            List<String> removed = new ArrayList<>();
            for (DocumentChange change : snap.getDocumentChanges()) {
                if (change.getType() == DocumentChange.Type.REMOVED) {
                    removed.add(change.getDocument().getId());
                } else {
                    parse(change.getDocument(), changed, malformed);
                }
            }
            onChanges.accept(new Changes(changed, malformed, removed, snap.isEmpty()));
        });
        return registration::remove;
    }

    private DocumentReference document(String id) {
        return schedules.document(RunIds.require("schedule", id));
    }

    /** The document fields of a schedule (without its times), in the shape the REST API shows too. */
    public static Map<String, Object> toDocument(ScheduleSpec s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", s.getName());
        doc.put("base_id", s.getBaseId());
        doc.put("cron", s.getCron());
        doc.put("time_zone", s.getTimeZone());
        doc.put("enabled", s.isEnabled());
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableSpec t : s.getTables()) {
            List<Map<String, Object>> rules = new ArrayList<>();
            for (RuleSpec r : t.getRules()) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("type", r.getType());
                rule.put("field", r.getField());
                putIfPresent(rule, "values", r.getValues().isEmpty() ? null : List.copyOf(r.getValues()));
                putIfPresent(rule, "table", r.getTable());
                putIfPresent(rule, "regex", r.getRegex());
                putIfPresent(rule, "values_from", r.getValuesFrom());
                rules.add(rule);
            }
            tables.add(new LinkedHashMap<>(Map.of("name", t.getName(), "rules", rules)));
        }
        doc.put("tables", tables);
        putIfPresent(doc, "max_duration_seconds", s.getMaxDurationSeconds());
        putIfPresent(doc, "request_timeout_seconds", s.getRequestTimeoutSeconds());
        if (!s.getNotify().isEmpty()) {
            doc.put("notify", Outbox.notifyField(s.getNotify()));
        }
        return doc;
    }

    private static Stored fromDocument(DocumentSnapshot doc) {
        return new Stored(doc.getId(), ScheduleReader.read(doc), timestamp(doc, "created_at"),
                timestamp(doc, "updated_at"));
    }

    private static Timestamp timestamp(DocumentSnapshot doc, String field) {
        Object value = doc.get(field);
        return value instanceof Timestamp t ? t : null;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
