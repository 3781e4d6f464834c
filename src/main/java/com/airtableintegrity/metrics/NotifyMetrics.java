package com.airtableintegrity.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification meters: {@code integrity.notifications{channel,outcome}} (Prometheus
 * {@code integrity_notifications_total}) for each configured channel, every outcome registered at start, and
 * {@code integrity.notifications.oldest.pending.age} (seconds; 0 when nothing is pending), refreshed by each delivery
 * poll.
 */
public final class NotifyMetrics {
    public static final String NOTIFICATIONS = "integrity.notifications";
    public static final String OLDEST_PENDING_AGE = "integrity.notifications.oldest.pending.age";
    /**
     * {@code delivered}; {@code retry} (an attempt failed, the notice is due again later); {@code given_up} (failed
     * past retry-for); {@code suppressed} (rate limit); {@code duplicate} (a notice delivered again after its claim
     * ran out: the receiver drops it by its key).
     */
    public static final List<String> OUTCOMES = List.of("delivered", "retry", "given_up", "suppressed", "duplicate");

    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    public NotifyMetrics(MeterRegistry registry, Collection<String> channels) {
        for (String channel : channels) {
            for (String outcome : OUTCOMES) {
                counters.put(channel + "/" + outcome, Counter.builder(NOTIFICATIONS).tag("channel", channel)
                        .tag("outcome", outcome).description("Notices by channel and outcome").register(registry));
            }
        }
        Gauge.builder(OLDEST_PENDING_AGE, oldestPendingSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest notice not yet delivered, suppressed or given up (0: none)")
                .strongReference(true).register(registry);
    }

    public static NotifyMetrics none() {
        return new NotifyMetrics(new SimpleMeterRegistry(), List.of());
    }

    /** Counts one notice of {@code channel} with {@code outcome}; an unknown channel or outcome is not counted. */
    public void notice(String channel, String outcome) {
        Counter counter = counters.get(channel + "/" + outcome);
        if (counter != null) {
            counter.increment();
        }
    }

    public void oldestPending(long ageSeconds) {
        oldestPendingSeconds.set(Math.max(0, ageSeconds));
    }
}
