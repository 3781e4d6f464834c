package com.airtableintegrity.boot.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How long an issue has been open, in words, as the run's page shows it: from when it was first seen
 * ({@code first_seen_at}) to the start of the run that found it (or, for a resolved issue, that no longer found it).
 * Whole units, rounded down: {@code < 1 min}, {@code 12 min}, {@code 3 h}, {@code 1 day}, {@code 5 days}.
 */
final class OpenFor {
    private OpenFor() {
    }

    /** The time from {@code firstSeen} to {@code runStart} in words; empty when either is unknown or it is negative. */
    static String between(Instant firstSeen, Instant runStart) {
        if (firstSeen == null || runStart == null || runStart.isBefore(firstSeen)) {
            return "";
        }
        Duration open = Duration.between(firstSeen, runStart);
        if (open.toMinutes() < 1) {
            return "< 1 min";
        }
        if (open.toHours() < 1) {
            return open.toMinutes() + " min";
        }
        if (open.toDays() < 1) {
            return open.toHours() + " h";
        }
        return open.toDays() == 1 ? "1 day" : String.format(Locale.ROOT, "%,d days", open.toDays());
    }
}
