package com.airtableintegrity.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.ListenerRegistration;
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
     * Every schedule, by name. A document that is not a schedule (written by hand with a field of the wrong type) is
     * skipped with an error naming it and the field, so the others are listed and run.
     */
    public List<Stored> list() {
        List<Stored> all = new ArrayList<>();
        for (QueryDocumentSnapshot doc : store.await(schedules.get(), "list schedules",
                "collection " + schedules.getId()).getDocuments()) {
            try {
                all.add(fromDocument(doc));
            } catch (MalformedSchedule e) {
                LOG.error("{} (skipped)", e.getMessage());
            }
        }
        all.sort(Comparator.comparing((Stored s) -> String.valueOf(s.spec().getName())).thenComparing(Stored::id));
        return all;
    }

    /**
     * Replaces a schedule's fields, keeping its {@code created_at}; conditioned on the document as read, so a schedule
     * deleted meanwhile is not brought back.
     * @return false when there is no such schedule (nothing is written)
     */
    public boolean replace(String id, ScheduleSpec spec) {
        DocumentReference ref = document(id);
        Map<String, Object> doc = toDocument(spec);
        return store.compareAndSet("replace schedule", "schedule " + id, writes -> {
            DocumentSnapshot snap = store.await(ref.get(), "replace schedule (read)", "schedule " + id);
            if (!snap.exists()) {
                return false;
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
     * Calls {@code onChange} (on {@code executor}) whenever any schedule document changes, starting with the current
     * state. Close the handle to stop listening.
     */
    public AutoCloseable watch(Executor executor, Runnable onChange) {
        ListenerRegistration registration = schedules.addSnapshotListener(executor, (snap, error) -> {
            if (error != null) {
                LOG.warn("Watching the schedules failed: {}", error.toString());
                return;
            }
            onChange.run();
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
                rules.add(rule);
            }
            tables.add(new LinkedHashMap<>(Map.of("name", t.getName(), "rules", rules)));
        }
        doc.put("tables", tables);
        putIfPresent(doc, "max_duration_seconds", s.getMaxDurationSeconds());
        putIfPresent(doc, "request_timeout_seconds", s.getRequestTimeoutSeconds());
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
