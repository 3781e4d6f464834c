package com.airtableintegrity.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/** The request log of {@link AirtableDouble} and the statistics read from it. Thread-safe. */
final class AirtableDoubleLog {

    private final ConcurrentLinkedQueue<AirtableDoubleRequest> log = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger count = new AtomicInteger();
    private volatile long lastRequestNanos;

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    void add(AirtableDoubleRequest entry) {
        log.add(entry);
        count.incrementAndGet();
        lastRequestNanos = entry.arrivalNanos();
    }

    List<AirtableDoubleRequest> all() {
        return List.copyOf(log);
    }

    int count() {
        return count.get();
    }

    List<AirtableDoubleRequest> matching(Predicate<AirtableDoubleRequest> filter) {
        List<AirtableDoubleRequest> out = new ArrayList<>();
        for (AirtableDoubleRequest r : log) {
            if (filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    long lastRequestNanos() {
        return lastRequestNanos;
    }

    /** Largest number of requests for {@code baseId} whose arrivals lie within some window [t, t + windowNanos). */
    int maxInAnyWindow(String baseId, long windowNanos) {
        long[] times = log.stream().filter(r -> baseId.equals(r.baseId()))
                .mapToLong(AirtableDoubleRequest::arrivalNanos).toArray();
        Arrays.sort(times);
        int best = 0;
        int lo = 0;
        for (int hi = 0; hi < times.length; hi++) {
            while (times[hi] - times[lo] >= windowNanos) {
                lo++;
            }
            best = Math.max(best, hi - lo + 1);
        }
        return best;
    }

    void clear() {
        log.clear();
        count.set(0);
    }
}
