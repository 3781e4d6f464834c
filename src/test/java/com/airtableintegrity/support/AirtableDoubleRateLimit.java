package com.airtableintegrity.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Airtable-like per-base rate limiting of {@link AirtableDouble}: sliding 1 s window plus a penalty. */
final class AirtableDoubleRateLimit {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile Limit limit; // null = off
    private volatile String retryAfter;
    private volatile long maxArrivalDelayNanos;
    private final Map<String, BaseRate> rates = new ConcurrentHashMap<>();

    void enable(int requestsPerSecond, Duration penalty) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond < 1");
        }
        rates.clear();
        limit = new Limit(requestsPerSecond, penalty.toNanos());
    }

    void disable() {
        limit = null;
        rates.clear();
    }

    void retryAfter(String value) {
        retryAfter = value;
    }

    /** {@code Retry-After} value for rate-limit 429s; null sends none. */
    String retryAfter() {
        return retryAfter;
    }

    /** A delay drawn at random from 0 to {@code max} per request, before its arrival is counted (network jitter). */
    void arrivalDelay(Duration max) {
        maxArrivalDelayNanos = max.toNanos();
    }

    /** Counts one request for {@code baseId}; true if it must be answered 429. */
    boolean limited(String baseId) {
        Limit l = limit;
        if (l == null) {
            return false;
        }
        long delay = maxArrivalDelayNanos;
        if (delay > 0) {
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(delay + 1));
        }
        BaseRate br = rates.computeIfAbsent(baseId, k -> new BaseRate());
        synchronized (br) {
            long now = System.nanoTime();
            if (br.inPenalty && now - br.penaltyUntil < 0) {
                return true;
            }
            br.inPenalty = false;
            while (!br.times.isEmpty() && now - br.times.peekFirst() >= WINDOW_NANOS) {
                br.times.pollFirst();
            }
            if (br.times.size() >= l.requestsPerSecond) {
                br.inPenalty = true;
                br.penaltyUntil = now + l.penaltyNanos;
                return true;
            }
            br.times.addLast(now);
            return false;
        }
    }

    private record Limit(int requestsPerSecond, long penaltyNanos) {
    }

    private static final class BaseRate {
        final ArrayDeque<Long> times = new ArrayDeque<>();
        boolean inPenalty;
        long penaltyUntil;
    }
}
