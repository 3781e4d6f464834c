package com.airtableintegrity.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/** A test clock in UTC whose instants come from the subclass (or a supplier). */
public abstract class UtcClock extends Clock {

    /** A clock that reads {@code instants} at every {@link #instant()}. */
    public static UtcClock of(Supplier<Instant> instants) {
        return new UtcClock() {
            @Override
            public Instant instant() {
                return instants.get();
            }
        };
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
