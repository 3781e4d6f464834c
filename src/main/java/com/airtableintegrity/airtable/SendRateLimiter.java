package com.airtableintegrity.airtable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.run.RunContext;

/**
 * The per-base rate limit at the moment a request goes on the wire (after its connection is up), behind the route's
 * Throttle EIP, made to hold whatever the delays between this process and Airtable: request <i>k</i> of a base is
 * sent only once the answer to request <i>k - maxRequests</i> has begun to arrive and a whole window has passed since.
 * A request arrives at Airtable after its send and before its answer, so any {@code maxRequests + 1} requests of a
 * base arrive at least a window apart: no scheduling delay, slow connection set-up or network jitter can make
 * Airtable count one too many. A request that failed without an answer counts as answered when it failed. The cost
 * is one round trip per window of {@code maxRequests} requests.
 * <p>
 * Written by hand: the Throttle EIP and common rate limiters count permits when they are handed out, and none waits
 * for answers.
 */
final class SendRateLimiter {
    /** How often a send waiting for an earlier request's answer looks again (the run's stop wakes it at once). */
    private static final Duration ANSWER_POLL = Duration.ofMillis(5);

    /** One request on the wire: when it went, and when its answer began (or it failed), once known. */
    static final class Send {
        private volatile long answeredNanos = Long.MIN_VALUE;

        /** Call once the answer's head has arrived, or the request failed. */
        void answered() {
            answeredNanos = System.nanoTime();
        }

        boolean isAnswered() {
            return answeredNanos != Long.MIN_VALUE;
        }
    }

    private final int maxRequests;
    private final long windowNanos;
    private final Map<String, ArrayDeque<Send>> sentByBase = new ConcurrentHashMap<>();

    SendRateLimiter(int maxRequests, Duration window) {
        this.maxRequests = maxRequests;
        this.windowNanos = window.toNanos();
    }

    /**
     * Waits (bounded by the run's deadline and stop) until one more send keeps the base within its limit, and records
     * it. The caller marks the returned send {@link Send#answered() answered}.
     */
    Send acquire(String baseId, RunContext run) {
        ArrayDeque<Send> sent = sentByBase.computeIfAbsent(baseId, b -> new ArrayDeque<>());
        while (true) {
            Duration wait;
            synchronized (sent) {
                Send oldest = sent.size() < maxRequests ? null : sent.peekFirst();
                long now = System.nanoTime();
                if (oldest == null || oldest.isAnswered() && now - oldest.answeredNanos >= windowNanos) {
                    if (oldest != null) {
                        sent.pollFirst();
                    }
                    Send send = new Send();
                    sent.addLast(send);
                    return send;
                }
                wait = oldest.isAnswered() ? Duration.ofNanos(oldest.answeredNanos + windowNanos - now) : ANSWER_POLL;
            }
            run.pause(wait);
        }
    }

    static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
