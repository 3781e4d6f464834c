package com.airtableintegrity.boot.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed attempts per key within a sliding minute: a login's key is its address and user name, so one user's failures
 * lock out only that user at that address; a rejected API key's is its address. After {@code limit} failures within a
 * minute the key is refused (429) until the oldest of them is a minute old. A login is counted before its password is
 * checked ({@link #attempt}) and forgiven when it succeeds, so parallel guesses cannot pass the limit. Written here
 * because Spring Security has no attempt limiter and this needs only a sliding window per key; the map holds at most
 * {@link #MAX_ADDRESSES} keys (older windows are dropped first), so a flood of addresses cannot grow it.
 */
final class LoginThrottle {
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Records a failure of {@code address}. */
    void failed(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = window(address, now);
        synchronized (times) {
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
        }
    }

    /**
     * Counts an attempt of {@code key} before it is checked: {@link Duration#ZERO} if it may be checked (and is now
     * counted as a failure until {@link #succeeded}), else how long the key is still refused (not counted).
     */
    Duration attempt(String key) {
        Instant now = clock.instant();
        Deque<Instant> times = window(key, now);
        synchronized (times) {
            while (!times.isEmpty() && !times.peekFirst().plus(WINDOW).isAfter(now)) {
                times.removeFirst();
            }
            if (times.size() >= limit) {
                return Duration.between(now, times.peekFirst().plus(WINDOW));
            }
            times.addLast(now);
            return Duration.ZERO;
        }
    }

    /** Forgets the failures of {@code key}: its attempt succeeded. */
    void succeeded(String key) {
        failures.remove(key);
    }

    /** How long {@code address} is still refused, or {@link Duration#ZERO}. */
    Duration refusedFor(String address) {
        Deque<Instant> times = failures.get(address);
        if (times == null) {
            return Duration.ZERO;
        }
        synchronized (times) {
            if (times.size() < limit) {
                return Duration.ZERO;
            }
            Duration left = Duration.between(clock.instant(), times.peekFirst().plus(WINDOW));
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    /** How many addresses are tracked (bounded by {@link #MAX_ADDRESSES}). */
    int addresses() {
        return failures.size();
    }

    /** The failure times of {@code key}, made when needed (the map pruned first when it is full). */
    private Deque<Instant> window(String key, Instant now) {
        if (failures.size() >= MAX_ADDRESSES) {
            prune(now);
        }
        return failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    }

    private void prune(Instant now) {
        Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator();
        while (it.hasNext()) {
            Deque<Instant> times = it.next().getValue();
            synchronized (times) {
                if (times.isEmpty() || !times.peekLast().plus(WINDOW).isAfter(now)) {
                    it.remove();
                }
            }
        }
        if (failures.size() >= MAX_ADDRESSES) {
            failures.clear();
        }
    }
}
