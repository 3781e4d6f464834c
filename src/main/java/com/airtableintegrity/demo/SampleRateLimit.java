package com.airtableintegrity.demo;

import java.time.Duration;

/**
 * Airtable's rate limit for the sample base: at most {@code perSecond} requests in any one second; the request over it
 * gets 429 and so does every request for the {@code penalty} after it (Airtable: 5 per second, then 30 s).
 */
final class SampleRateLimit {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final long[] arrivals;
    private final long penaltyNanos;
    private int oldest;
    private long penaltyEnds;
    private boolean penalised;

    SampleRateLimit(int perSecond, Duration penalty) {
        this.arrivals = new long[perSecond];
        this.penaltyNanos = penalty.toNanos();
        long longAgo = System.nanoTime() - 2 * SECOND;
        java.util.Arrays.fill(arrivals, longAgo);
    }

    /** Counts a request arriving now; true when it must be answered 429. */
    synchronized boolean refuse() {
        long now = System.nanoTime();
        if (penalised && now - penaltyEnds < 0) {
            return true;
        }
        penalised = false;
        // arrivals is a ring of the last perSecond admitted requests; the oldest of them decides
        if (now - arrivals[oldest] < SECOND) {
            penalised = true;
            penaltyEnds = now + penaltyNanos;
            return true;
        }
        arrivals[oldest] = now;
        oldest = (oldest + 1) % arrivals.length;
        return false;
    }
}
