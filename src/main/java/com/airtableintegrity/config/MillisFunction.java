package com.airtableintegrity.config;

import org.apache.camel.spi.PropertiesFunction;

/**
 * The route placeholder {@code {{millis:some.key-seconds}}}: the value of a seconds setting, in milliseconds, for
 * endpoint options that take milliseconds. Keeps each setting in the unit it is documented in, once.
 */
public final class MillisFunction implements PropertiesFunction {

    @Override
    public String getName() {
        return "millis";
    }

    /** Camel resolves the key first and hands its value to {@link #apply}. */
    @Override
    public boolean lookupFirst(String remainder) {
        return true;
    }

    @Override
    public String apply(String seconds) {
        try {
            return String.valueOf(Math.multiplyExact(Long.parseLong(seconds.trim()), 1000L));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("{{millis:...}} needs a whole number of seconds, was '" + seconds + "'");
        }
    }
}
