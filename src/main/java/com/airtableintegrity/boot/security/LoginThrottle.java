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
 * Failed logins and rejected API keys per client address: after {@code limit} failures within a minute, that address
 * is refused (429) until the oldest of them is a minute old, whatever it presents. Written here because Spring
 * Security has no attempt limiter and this needs only a sliding window per address; the map holds at most
 * {@link #MAX_ADDRESSES} addresses (older windows are dropped first), so a flood of addresses cannot grow it.
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
        if (failures.size() >= MAX_ADDRESSES) {
            prune(now);
        }
        Deque<Instant> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
        }
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
