package com.airtableintegrity.run;

import java.util.function.LongSupplier;

/**
 * A token bucket for run start requests: {@code burst} tokens at most, refilled at {@code perMinute} tokens per
 * minute. {@link #tryTake()} answers 0 when a token was taken, else the whole seconds until the next token.
 */
public final class StartRateLimit {
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int burst;
    private final int perMinute;
    private final long nanosPerToken;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    public StartRateLimit(int burst, int perMinute, LongSupplier nanoTime) {
        if (burst < 1 || perMinute < 1) {
            throw new IllegalArgumentException(
                    "burst and perMinute must be positive, were " + burst + " and " + perMinute);
        }
        this.burst = burst;
        this.perMinute = perMinute;
        this.nanosPerToken = NANOS_PER_MINUTE / perMinute;
        this.nanoTime = nanoTime;
        this.tokens = burst;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token: 0 if one was free, else the seconds (at least 1) to wait before one is. */
    public synchronized long tryTake() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        long waitNanos = (long) Math.ceil((1 - tokens) * nanosPerToken);
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }

    public int burst() {
        return burst;
    }

    public int perMinute() {
        return perMinute;
    }
}
