package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.config.NotifySpec;
import com.google.cloud.firestore.DocumentSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which notices a run owes when it ends, decided from its document alone (so that every writer of a terminal status
 * decides the same: the run itself, the sweep, startup recovery, a start that takes a stale run over). They go into
 * the same write as the terminal status: a run cannot end without recording them, and they are never recorded twice.
 *
 * <p>Events: {@code error} and {@code timeout} (the status), {@code new_issues} ({@code issues_new > 0}; a run
 * without a diff: {@code issues_found > 0}), {@code recovered} ({@code success} or {@code warning} after a run of
 * its base that ended {@code error} or {@code timeout}) and {@code every_run}.
 */
final class Outbox {
    private static final Set<String> HEALTHY = Set.of(STATUS_SUCCESS, STATUS_WARNING);
    private static final Set<String> FAILED = Set.of(STATUS_ERROR, STATUS_TIMEOUT);

    private Outbox() {
    }

    /** The {@link RunFields#NOTIFY} value of a run document for a schedule's list. */
    static List<Map<String, Object>> notifyField(List<NotifySpec> notify) {
        List<Map<String, Object>> field = new ArrayList<>();
        for (NotifySpec spec : notify) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(NOTICE_CHANNEL, spec.getChannel());
            entry.put("events", List.copyOf(spec.getEvents()));
            field.add(entry);
        }
        return field;
    }

    /** Adds the notices the run of {@code snap} owes for its terminal {@code update} (none: nothing is added). */
    static void owe(Map<String, Object> update, DocumentSnapshot snap, String status, Instant endedAt) {
        Object notify = snap.get(NOTIFY);
        if (!(notify instanceof List<?> entries) || entries.isEmpty()) {
            return;
        }
        Set<String> happened = events(status, snap.getString(PREVIOUS_STATUS), newIssues(update, snap));
        List<Map<String, Object>> notices = new ArrayList<>();
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> entry) || !(entry.get(NOTICE_CHANNEL) instanceof String channel)
                    || !(entry.get("events") instanceof List<?> wanted)) {
                continue; // written by this class at start; a hand-edited entry is not a channel
            }
            for (String event : NotifySpec.EVENTS) {
                if (wanted.contains(event) && happened.contains(event)) {
                    notices.add(notice(snap.getId(), channel, event, endedAt));
                }
            }
        }
        if (!notices.isEmpty()) {
            update.put(NOTICES, notices);
            update.put(NOTIFY_NEXT_AT, toTimestamp(endedAt));
            update.put(NOTIFY_PENDING_SINCE, toTimestamp(endedAt));
        }
    }

    static Set<String> events(String status, String previousStatus, long newIssues) {
        Set<String> events = new HashSet<>();
        events.add(NotifySpec.EVERY_RUN);
        if (STATUS_ERROR.equals(status)) {
            events.add(NotifySpec.ERROR);
        }
        if (STATUS_TIMEOUT.equals(status)) {
            events.add(NotifySpec.TIMEOUT);
        }
        if (newIssues > 0) {
            events.add(NotifySpec.NEW_ISSUES);
        }
        if (HEALTHY.contains(status) && previousStatus != null && FAILED.contains(previousStatus)) {
            events.add(NotifySpec.RECOVERED);
        }
        return events;
    }

    /** {@code issues_new} of the terminal write (or the document); without a diff, {@code issues_found}. */
    private static long newIssues(Map<String, Object> update, DocumentSnapshot snap) {
        for (String field : new String[] {"issues_new", "issues_found"}) {
            Object value = update.containsKey(field) ? update.get(field) : snap.get(field);
            if (value instanceof Number n) {
                return n.longValue();
            }
        }
        return 0;
    }

    /** The idempotency key a receiver deduplicates on: the run and the event (the same on every channel). */
    static String key(String runId, String event) {
        return runId + ":" + event;
    }

    private static Map<String, Object> notice(String runId, String channel, String event, Instant at) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put(NOTICE_KEY, key(runId, event));
        n.put(NOTICE_CHANNEL, channel);
        n.put(NOTICE_EVENT, event);
        n.put(NOTICE_STATE, NOTICE_PENDING);
        n.put(NOTICE_ATTEMPTS, 0L);
        n.put(NOTICE_CREATED_AT, toTimestamp(at));
        n.put(NOTICE_NEXT_ATTEMPT_AT, toTimestamp(at));
        return n;
    }
}
