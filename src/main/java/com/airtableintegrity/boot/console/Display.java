package com.airtableintegrity.boot.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import com.airtableintegrity.store.RunCollection;
import com.google.cloud.Timestamp;

/**
 * How the console writes values: numbers with thousands separators, durations in words, statuses as a word and a
 * stable CSS class, and timestamps as {@link Time} ({@code <time datetime="ISO" title="... UTC">}, which the page's
 * script shows in the viewer's time zone).
 */
final class Display {
    private static final DateTimeFormatter UTC_TEXT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * A moment: {@code iso} for the {@code datetime} attribute (ISO-8601 UTC with milliseconds), {@code utc} for the
     * text before the script runs and for the {@code title} (hover).
     */
    record Time(String iso, String utc) {
        static Time of(Instant at) {
            return at == null ? null : new Time(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString(),
                    UTC_TEXT.format(at));
        }
    }

    private Display() {
    }

    static Time time(Object value) {
        return Time.of(instant(value));
    }

    /** A Firestore timestamp (or an instant) as an instant; anything else is null. */
    static Instant instant(Object value) {
        if (value instanceof Timestamp ts) {
            return RunCollection.toInstant(ts);
        }
        return value instanceof Instant instant ? instant : null;
    }

    /** {@code 1,234,567}; a value that is not a number as it is; absent as an empty string. */
    static String number(Object value) {
        if (value instanceof Number n) {
            return String.format(Locale.ROOT, "%,d", n.longValue());
        }
        return value == null ? "" : String.valueOf(value);
    }

    /** The status as a word: {@code timeout} is "Timeout". */
    static String statusLabel(String status) {
        if (status == null || status.isEmpty()) {
            return "Unknown";
        }
        return status.substring(0, 1).toUpperCase(Locale.ROOT) + status.substring(1).replace('_', ' ');
    }

    /** The badge's classes: {@code badge status-timeout}; anything unexpected is {@code status-unknown}. */
    static String statusClass(String status) {
        return "badge status-" + (status != null && status.matches("[a-z_]{1,20}") ? status : "unknown");
    }

    /** {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 03 min}. */
    static String duration(long millis) {
        if (millis < 0) {
            return "";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() < 1) {
            return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%,d h %02d min", d.toHours(), d.toMinutesPart());
    }

    static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }
}
