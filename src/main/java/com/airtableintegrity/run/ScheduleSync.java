package com.airtableintegrity.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.IntegrityPropertiesValidator;
import com.airtableintegrity.config.ScheduleValidator;
import com.airtableintegrity.store.MalformedSchedule;
import com.airtableintegrity.store.ScheduleDocuments;
import com.google.cloud.Timestamp;

/**
 * Keeps the schedule routes equal to the schedule documents: a Firestore listener applies each change as it comes
 * (within a second or two; only the documents that changed), and route {@code integrity-schedule-sync} reconciles the
 * whole collection every minute as the backstop, so a missed event never leaves a stale or missing trigger. A document
 * that is not a valid schedule (written around the API), or one beyond {@code integrity.schedule.max-stored}, is not
 * applied: its problem is logged once per version and kept in {@link ScheduleProblems} for the API and the console.
 */
public final class ScheduleSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleSync.class);

    private final ScheduleDocuments documents;
    private final ScheduleRoutes routes;
    private final ScheduleValidator validator;
    private final Executor listenerExecutor;
    private final ScheduleProblems problems;
    private final int maxApplied;
    /** Schedule id → the {@code updated_at} of the version applied (or found not applicable). */
    private final Map<String, Timestamp> seen = new HashMap<>();
    /** The ids whose route is applied. */
    private final Set<String> applied = new HashSet<>();
    private final AtomicLong documentsRead = new AtomicLong();
    private AutoCloseable listener;
    /** Whether the collection was last seen empty; null until it was read once. */
    private volatile Boolean collectionEmpty;

    public ScheduleSync(ScheduleDocuments documents, ScheduleRoutes routes, ScheduleValidator validator,
                        Executor listenerExecutor, ScheduleProblems problems, int maxApplied) {
        this.documents = documents;
        this.routes = routes;
        this.validator = validator;
        this.listenerExecutor = listenerExecutor;
        this.problems = problems;
        this.maxApplied = maxApplied;
    }

    /** Route step, every minute: reads the whole collection, applies what changed, removes what is gone. */
    public synchronized void reconcile() {
        if (listener == null) {
            listener = documents.watch(listenerExecutor, this::applyQuietly);
        }
        ScheduleDocuments.Changes all = documents.all();
        documentsRead.addAndGet(all.documents());
        Set<String> present = new HashSet<>();
        for (MalformedSchedule bad : all.malformed()) {
            present.add(bad.id());
            notApplied(bad.id(), null, bad.getMessage(), true);
        }
        for (ScheduleDocuments.Stored stored : all.changed()) {
            present.add(stored.id());
            applyOne(stored);
        }
        for (String id : Set.copyOf(problems.all().keySet())) {
            if (!present.contains(id)) {
                removeOne(id);
            }
        }
        for (String id : Set.copyOf(applied)) {
            if (!present.contains(id)) {
                removeOne(id);
            }
        }
        collectionEmpty(all.collectionEmpty());
    }

    /** Listener callback: the documents of one snapshot, and nothing else, are applied. */
    synchronized void apply(ScheduleDocuments.Changes changes) {
        documentsRead.addAndGet(changes.documents());
        for (String id : changes.removed()) {
            removeOne(id);
        }
        for (MalformedSchedule bad : changes.malformed()) {
            notApplied(bad.id(), null, bad.getMessage(), true);
        }
        for (ScheduleDocuments.Stored stored : changes.changed()) {
            applyOne(stored);
        }
        collectionEmpty(changes.collectionEmpty());
    }

    /**
     * Route {@code integrity-schedule}'s decision: the configured schedule fires (as schedule {@code default}) while
     * the collection holds no schedule, and also before the collection could first be read.
     */
    public boolean configuredScheduleActive() {
        return !Boolean.FALSE.equals(collectionEmpty);
    }

    /** Whether the listener is registered (from the first reconcile on, until closed). */
    public synchronized boolean listening() {
        return listener != null;
    }

    /** How many schedule documents this sync has read, the listener's and the minute's reads together. */
    public long documentsRead() {
        return documentsRead.get();
    }

    private void applyOne(ScheduleDocuments.Stored stored) {
        String id = stored.id();
        if (stored.updatedAt() != null && stored.updatedAt().equals(seen.get(id))) {
            return;
        }
        List<String> invalid = validator.problems(stored.spec());
        if (!invalid.isEmpty()) {
            notApplied(id, stored.updatedAt(), "Schedule " + id + " is not applied: " + String.join("; ", invalid),
                    true);
            return;
        }
        if (!applied.contains(id) && applied.size() >= maxApplied) {
            notApplied(id, stored.updatedAt(), "Schedule " + id + " is not applied: this runner applies at most "
                    + maxApplied + " schedules (" + IntegrityPropertiesValidator.MAX_STORED_SCHEDULES_KEY
                    + "); delete others or raise the limit", false); // tried again once another one goes
            return;
        }
        try {
            routes.apply(id, stored.spec());
            applied.add(id);
            problems.clear(id);
            seen.put(id, stored.updatedAt());
        } catch (RuntimeException e) {
            // not marked seen: the next change or the minute's reconcile tries again
            LOG.warn("Schedule {} could not be applied: {}", id, e.getMessage());
        }
    }

    /**
     * Removes the schedule's route and records why, logged when the reason is new. {@code settled}: this version of the
     * document is settled (not read again until it changes); otherwise every change and reconcile tries it again.
     */
    private void notApplied(String id, Timestamp version, String problem, boolean settled) {
        if (!problem.equals(problems.of(id))) {
            LOG.error("{}", problem);
        }
        routes.remove(id);
        applied.remove(id);
        problems.set(id, problem);
        if (settled) {
            seen.put(id, version);
        } else {
            seen.remove(id);
        }
    }

    private void removeOne(String id) {
        seen.remove(id);
        applied.remove(id);
        problems.clear(id);
        routes.remove(id);
    }

    private void collectionEmpty(boolean empty) {
        if (!Boolean.valueOf(empty).equals(collectionEmpty)) {
            LOG.info(empty ? "No schedule is stored: the configured schedule (integrity.schedule.cron) fires as "
                    + "schedule 'default'" : "Schedules are stored: the configured schedule does not fire");
        }
        collectionEmpty = empty;
    }

    private void applyQuietly(ScheduleDocuments.Changes changes) {
        try {
            apply(changes);
        } catch (RuntimeException e) {
            LOG.warn("Applying a schedule change failed (the minute's reconcile retries): {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (listener != null) {
            listener.close();
            listener = null;
        }
    }
}
