package com.airtableintegrity.airtable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.run.RunContext;

/**
 * A per-base sliding window counted when a request actually goes on the wire (after its connection is up), the
 * backstop behind the route's Throttle EIP. The throttle hands out permits before camel-http runs; when the first
 * requests of a run are slowed by connection set-up (TLS, a cold client) and later ones are not, permits granted a
 * window apart can still land closer than a window apart at Airtable. This limiter closes that gap: at most
 * {@code maxRequests} sends per base in any {@code window}.
 */
final class SendRateLimiter {
    private final int maxRequests;
    private final long windowNanos;
    private final Map<String, ArrayDeque<Long>> sentByBase = new ConcurrentHashMap<>();

    SendRateLimiter(int maxRequests, Duration window) {
        this.maxRequests = maxRequests;
        this.windowNanos = window.toNanos();
    }

    /**
     * Waits (bounded by the run's deadline and stop) until one more send keeps the base within its window, and records
     * it.
     * @return milliseconds waited
     */
    long acquire(String baseId, RunContext run) {
        ArrayDeque<Long> sent = sentByBase.computeIfAbsent(baseId, b -> new ArrayDeque<>());
        long started = System.nanoTime();
        while (true) {
            long waitNanos;
            synchronized (sent) {
                long now = System.nanoTime();
                while (!sent.isEmpty() && now - sent.peekFirst() >= windowNanos) {
                    sent.pollFirst();
                }
                if (sent.size() < maxRequests) {
                    sent.addLast(now);
                    return TimeUnit.NANOSECONDS.toMillis(now - started);
                }
                waitNanos = sent.peekFirst() + windowNanos - now;
            }
            run.pause(Duration.ofNanos(waitNanos));
        }
    }
}
