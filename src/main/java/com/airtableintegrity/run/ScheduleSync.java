package com.airtableintegrity.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.ScheduleValidator;
import com.airtableintegrity.store.ScheduleDocuments;
import com.google.cloud.Timestamp;

/**
 * Keeps the schedule routes equal to the schedule documents: a Firestore listener reconciles on every change (within
 * a second or two), and route {@code integrity-schedule-sync} reconciles every minute as the backstop, so a missed
 * event never leaves a stale or missing trigger. A document that is not a valid schedule (written around the API) is
 * not applied, and its problems are logged once per version.
 */
public final class ScheduleSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleSync.class);

    private final ScheduleDocuments documents;
    private final ScheduleRoutes routes;
    private final ScheduleValidator validator;
    private final Executor listenerExecutor;
    /** Schedule id → the {@code updated_at} of the version applied (or found invalid). */
    private final Map<String, Timestamp> seen = new HashMap<>();
    private AutoCloseable listener;
    /** Whether the last reconcile found the collection empty; null until one succeeded. */
    private volatile Boolean collectionEmpty;

    public ScheduleSync(ScheduleDocuments documents, ScheduleRoutes routes, ScheduleValidator validator,
                        Executor listenerExecutor) {
        this.documents = documents;
        this.routes = routes;
        this.validator = validator;
        this.listenerExecutor = listenerExecutor;
    }

    /** Route step (and listener callback): applies new and changed schedules, removes deleted ones. */
    public synchronized void reconcile() {
        if (listener == null) {
            listener = documents.watch(listenerExecutor, this::reconcileQuietly);
        }
        Set<String> present = new HashSet<>();
        List<ScheduleDocuments.Stored> all = documents.list();
        if (!Boolean.valueOf(all.isEmpty()).equals(collectionEmpty)) {
            LOG.info(all.isEmpty() ? "No schedule is stored: the configured schedule (integrity.schedule.cron) "
                    + "fires as schedule 'default'" : "Schedules are stored: the configured schedule does not fire");
        }
        collectionEmpty = all.isEmpty();
        for (ScheduleDocuments.Stored stored : all) {
            present.add(stored.id());
            if (stored.updatedAt() != null && stored.updatedAt().equals(seen.get(stored.id()))) {
                continue;
            }
            List<String> problems = validator.problems(stored.spec());
            try {
                if (problems.isEmpty()) {
                    routes.apply(stored.id(), stored.spec());
                } else {
                    routes.remove(stored.id());
                    LOG.warn("Schedule {} is not applied: {}", stored.id(), String.join("; ", problems));
                }
                seen.put(stored.id(), stored.updatedAt());
            } catch (RuntimeException e) {
                // not marked seen: the next change or the minute's reconcile tries again
                LOG.warn("Schedule {} could not be applied: {}", stored.id(), e.getMessage());
            }
        }
        for (String id : Set.copyOf(seen.keySet())) {
            if (!present.contains(id)) {
                seen.remove(id);
                routes.remove(id);
            }
        }
    }

    /**
     * Route {@code integrity-schedule}'s decision: the configured schedule fires (as schedule {@code default}) while
     * the collection holds no schedule, and also before the collection could first be read.
     */
    public boolean configuredScheduleActive() {
        return !Boolean.FALSE.equals(collectionEmpty);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("Reconciling the schedules failed (the next change or the minute's reconcile retries): {}",
                    e.getMessage());
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
