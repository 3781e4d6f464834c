package com.airtableintegrity.store;

import static com.airtableintegrity.store.RunCollection.toInstant;
import static com.airtableintegrity.store.RunCollection.toTimestamp;
import static com.airtableintegrity.store.RunFields.*;

import com.airtableintegrity.config.NotifySpec;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The notices runs owe ({@link Outbox}), delivered at least once: a poll {@link #claimDue claims} the notices that are
 * due, each claim a compare-and-set on its run document that counts the attempt and holds the notice for a lease (the
 * call's wall-clock bound and some); the sender then records {@link #delivered} or {@link #failed}. A runner that dies
 * holding a claim leaves the notice to come due again when the lease ends, for any runner. A notice is never dropped:
 * it ends {@code delivered}, {@code suppressed} (rate-limited, counted on its limit document and reported by the next
 * notice that goes out) or {@code failed} (given up after {@code retry-for}, with its last error).
 *
 * <p>Rate limit: per schedule, channel and event, at most one {@code error} and one {@code timeout} notice goes out
 * per window; the limit document ({@code <runs>_notify_limits/{schedule}~{channel}~{event}}) is reserved in the
 * claim's own commit, so two runners cannot both pass it.
 */
public final class NoticeOutbox {
    /** The events a window limits: repeated failures. */
    private static final Set<String> LIMITED = Set.of(NotifySpec.ERROR, NotifySpec.TIMEOUT);
    private static final String LIMIT_LAST_SENT_AT = "last_sent_at";
    private static final String LIMIT_LAST_RUN_ID = "last_run_id";
    private static final String LIMIT_SUPPRESSED_COUNT = "suppressed_count";
    private static final String LIMIT_SUPPRESSED_SINCE = "suppressed_since";

    /** A claimed notice: send it, then report {@link #delivered} or {@link #failed} with it. */
    public record Claimed(String runId, String key, String channel, String event, long attempt,
                          Map<String, Object> run, Map<String, Object> suppressedBefore) {
    }

    /** What {@link #failed} decided. */
    public enum Failure { RETRY, GAVE_UP, ALREADY_SETTLED }

    /** A notice the claim suppressed (rate limit), for the counter. */
    public record Suppressed(String channel, String event) {
    }

    /** One poll's claims, and the notices it suppressed. */
    public record Claims(List<Claimed> claimed, List<Suppressed> suppressed) {
    }

    private final RunCollection store;
    private final String runnerId;
    private final Duration lease;
    private final Duration window;

    /**
     * @param lease  how long a claim holds a notice (longer than one send's wall-clock bound)
     * @param window the rate limit's window ({@code integrity.notify.rate-limit-seconds}; zero: no limit)
     */
    public NoticeOutbox(RunCollection store, String runnerId, Duration lease, Duration window) {
        this.store = Objects.requireNonNull(store, "store");
        this.runnerId = Objects.requireNonNull(runnerId, "runnerId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.window = Objects.requireNonNull(window, "window");
    }

    /** Claims up to {@code limit} due notices, oldest due first. */
    public Claims claimDue(int limit) {
        Instant now = store.nowInstant();
        List<QueryDocumentSnapshot> due = store.await(store.runs().whereLessThanOrEqualTo(NOTIFY_NEXT_AT,
                toTimestamp(now)).orderBy(NOTIFY_NEXT_AT).limit(limit).get(), "claim notices (query)", "notices due")
                .getDocuments();
        List<Claimed> claimed = new ArrayList<>();
        List<Suppressed> suppressed = new ArrayList<>();
        for (QueryDocumentSnapshot doc : due) {
            if (claimed.size() >= limit) {
                break;
            }
            Claims run = claimRun(doc.getId(), limit - claimed.size());
            claimed.addAll(run.claimed());
            suppressed.addAll(run.suppressed());
        }
        return new Claims(claimed, suppressed);
    }

    private Claims claimRun(String runId, int limit) {
        return store.inRunUpdate(runId, "claim notices", "claim notices (read)", (writes, snap) -> {
            List<Claimed> claimed = new ArrayList<>();
            List<Suppressed> suppressed = new ArrayList<>();
            List<Map<String, Object>> notices = notices(snap);
            Instant now = store.nowInstant();
            for (Map<String, Object> n : notices) {
                if (claimed.size() >= limit || !due(n, now)) {
                    continue;
                }
                String channel = (String) n.get(NOTICE_CHANNEL);
                String event = (String) n.get(NOTICE_EVENT);
                Map<String, Object> before = null;
                if (LIMITED.contains(event) && !window.isZero() && !Boolean.TRUE.equals(n.get(NOTICE_LIMIT_PASSED))) {
                    DocumentSnapshot limitDoc = store.await(limitDocument(snap, channel, event).get(),
                            "claim notices (read rate limit)", "run " + runId);
                    if (withinWindow(limitDoc, now)) {
                        n.put(NOTICE_STATE, NOTICE_SUPPRESSED);
                        n.put("suppressed_at", toTimestamp(now));
                        writes.replace(limitDoc, suppressedOn(limitDoc, now));
                        suppressed.add(new Suppressed(channel, event));
                        continue;
                    }
                    before = summary(limitDoc);
                    n.put(NOTICE_LIMIT_PASSED, true);
                    if (before != null) {
                        n.put(NOTICE_SUPPRESSED_BEFORE, before);
                    }
                    writes.replace(limitDoc, Map.of(LIMIT_LAST_SENT_AT, toTimestamp(now), LIMIT_LAST_RUN_ID, runId,
                            LIMIT_SUPPRESSED_COUNT, 0L));
                } else if (n.get(NOTICE_SUPPRESSED_BEFORE) instanceof Map<?, ?> kept) {
                    before = copy(kept);
                }
                long attempt = number(n.get(NOTICE_ATTEMPTS)) + 1;
                n.put(NOTICE_ATTEMPTS, attempt);
                n.put(NOTICE_NEXT_ATTEMPT_AT, toTimestamp(now.plus(lease)));
                n.put(NOTICE_CLAIMED_BY, runnerId);
                claimed.add(new Claimed(runId, (String) n.get(NOTICE_KEY), channel, event, attempt,
                        snap.getData(), before));
            }
            if (!claimed.isEmpty() || !suppressed.isEmpty()) {
                writes.update(snap, withPending(notices));
            }
            return new Claims(claimed, suppressed);
        });
    }

    /**
     * Records that the claimed notice reached its receiver ({@code answer}: e.g. {@code HTTP 200}); true when it had
     * been delivered already (a duplicate, counted on the notice).
     */
    public boolean delivered(Claimed c, String answer) {
        return store.inRunUpdate(c.runId(), "record notice delivered", "record notice delivered (read)",
                (writes, snap) -> {
            List<Map<String, Object>> notices = notices(snap);
            Map<String, Object> n = find(notices, c);
            if (n == null) {
                return false;
            }
            boolean duplicate = NOTICE_DELIVERED.equals(n.get(NOTICE_STATE));
            if (duplicate) {
                // an earlier claim's send also arrived (its lease ran out): the receiver drops it by its key
                n.put(NOTICE_DUPLICATES, number(n.get(NOTICE_DUPLICATES)) + 1);
            } else {
                n.put(NOTICE_STATE, NOTICE_DELIVERED);
                n.put(NOTICE_DELIVERED_AT, store.now());
                n.put(NOTICE_LAST_ANSWER, answer);
                n.remove(NOTICE_NEXT_ATTEMPT_AT);
            }
            writes.update(snap, withPending(notices));
            return duplicate;
        });
    }

    /**
     * Records a failed attempt of the claimed notice: due again after {@code backoff}, or given up ({@code failed})
     * once {@code retryFor} has passed since it was owed.
     */
    public Failure failed(Claimed c, String error, Duration backoff, Duration retryFor) {
        return store.inRunUpdate(c.runId(), "record notice failed", "record notice failed (read)", (writes, snap) -> {
            List<Map<String, Object>> notices = notices(snap);
            Map<String, Object> n = find(notices, c);
            if (n == null || !NOTICE_PENDING.equals(n.get(NOTICE_STATE))) {
                return Failure.ALREADY_SETTLED;
            }
            n.put(NOTICE_LAST_ERROR, error);
            if (number(n.get(NOTICE_ATTEMPTS)) != c.attempt()) {
                writes.update(snap, withPending(notices)); // a later claim is sending it: it decides what is next
                return Failure.ALREADY_SETTLED;
            }
            Instant now = store.nowInstant();
            Timestamp created = (Timestamp) n.get(NOTICE_CREATED_AT);
            Failure outcome;
            if (created != null && !now.isBefore(toInstant(created).plus(retryFor))) {
                n.put(NOTICE_STATE, NOTICE_FAILED);
                n.put("failed_at", toTimestamp(now));
                n.remove(NOTICE_NEXT_ATTEMPT_AT);
                outcome = Failure.GAVE_UP;
            } else {
                n.put(NOTICE_NEXT_ATTEMPT_AT, toTimestamp(now.plus(backoff)));
                outcome = Failure.RETRY;
            }
            writes.update(snap, withPending(notices));
            return outcome;
        });
    }

    /** The first {@code limit} issues of the run that its diff found {@code new} (for the notice's excerpt). */
    public List<Map<String, Object>> newIssues(String runId, int limit) {
        RunIds.require(runId);
        List<Map<String, Object>> issues = new ArrayList<>();
        for (QueryDocumentSnapshot doc : store.await(store.runs().document(runId).collection(ISSUES_SUBCOLLECTION)
                .whereEqualTo("state", "new").orderBy(ISSUE_SEQ).limit(limit).get(), "read new issues",
                "run " + runId).getDocuments()) {
            issues.add(doc.getData());
        }
        return issues;
    }

    /** When the oldest notice still pending was owed; empty when none is. */
    public Optional<Instant> oldestPending() {
        List<QueryDocumentSnapshot> oldest = store.await(store.runs().orderBy(NOTIFY_PENDING_SINCE).limit(1).get(),
                "oldest pending notice", "notices").getDocuments();
        return oldest.stream().map(d -> d.getTimestamp(NOTIFY_PENDING_SINCE)).filter(Objects::nonNull)
                .map(RunCollection::toInstant).findFirst();
    }

    private DocumentReference limitDocument(DocumentSnapshot run, String channel, String event) {
        String schedule = run.getString(SCHEDULE_ID);
        String scope = schedule != null ? schedule : "base-" + run.getString(BASE_ID);
        return store.sibling(store.collection() + NOTIFY_LIMITS_SUFFIX).document(scope + "~" + channel + "~" + event);
    }

    private boolean withinWindow(DocumentSnapshot limit, Instant now) {
        Timestamp last = limit.exists() ? limit.getTimestamp(LIMIT_LAST_SENT_AT) : null;
        return last != null && toInstant(last).plus(window).isAfter(now);
    }

    private static Map<String, Object> suppressedOn(DocumentSnapshot limit, Instant now) {
        Map<String, Object> doc = new LinkedHashMap<>(limit.getData() == null ? Map.of() : limit.getData());
        doc.put(LIMIT_SUPPRESSED_COUNT, number(doc.get(LIMIT_SUPPRESSED_COUNT)) + 1);
        doc.putIfAbsent(LIMIT_SUPPRESSED_SINCE, toTimestamp(now));
        return doc;
    }

    /** What the window held back before this notice: {@code {count, since}}, or null when nothing was. */
    private static Map<String, Object> summary(DocumentSnapshot limit) {
        long count = limit.exists() ? number(limit.get(LIMIT_SUPPRESSED_COUNT)) : 0;
        if (count == 0) {
            return null;
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", count);
        summary.put("since", limit.getTimestamp(LIMIT_SUPPRESSED_SINCE));
        return summary;
    }

    private static boolean due(Map<String, Object> n, Instant now) {
        return NOTICE_PENDING.equals(n.get(NOTICE_STATE)) && n.get(NOTICE_NEXT_ATTEMPT_AT) instanceof Timestamp at
                && !toInstant(at).isAfter(now);
    }

    private static Map<String, Object> find(List<Map<String, Object>> notices, Claimed c) {
        return notices.stream().filter(n -> c.channel().equals(n.get(NOTICE_CHANNEL))
                && c.event().equals(n.get(NOTICE_EVENT))).findFirst().orElse(null);
    }

    /** The notices, copied (each a mutable map) from the run document. */
    private static List<Map<String, Object>> notices(DocumentSnapshot snap) {
        List<Map<String, Object>> copies = new ArrayList<>();
        if (snap.exists() && snap.get(NOTICES) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    copies.add(copy(m));
                }
            }
        }
        return copies;
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    /** The notices, with {@code notify_next_at} and {@code notify_pending_since} as they now stand. */
    private static Map<String, Object> withPending(List<Map<String, Object>> notices) {
        Timestamp next = null;
        Timestamp since = null;
        for (Map<String, Object> n : notices) {
            if (NOTICE_PENDING.equals(n.get(NOTICE_STATE))) {
                next = earliest(next, (Timestamp) n.get(NOTICE_NEXT_ATTEMPT_AT));
                since = earliest(since, (Timestamp) n.get(NOTICE_CREATED_AT));
            }
        }
        Map<String, Object> update = new LinkedHashMap<>();
        update.put(NOTICES, notices);
        update.put(NOTIFY_NEXT_AT, next == null ? FieldValue.delete() : next);
        update.put(NOTIFY_PENDING_SINCE, since == null ? FieldValue.delete() : since);
        return update;
    }

    private static Timestamp earliest(Timestamp a, Timestamp b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
