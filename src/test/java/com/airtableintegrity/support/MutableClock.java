package com.airtableintegrity.support;

import java.time.Duration;
import java.time.Instant;

/** A test clock that only moves when told to. */
public final class MutableClock extends UtcClock {

    private volatile Instant now;

    public MutableClock(Instant now) {
        this.now = now;
    }

    public void set(Instant instant) {
        now = instant;
    }

    public Instant advance(Duration duration) {
        now = now.plus(duration);
        return now;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
