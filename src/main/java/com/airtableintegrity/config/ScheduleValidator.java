package com.airtableintegrity.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

import org.quartz.CronExpression;

/**
 * Checks a {@link ScheduleSpec} with the startup validator's rules ({@link Checks}), naming each problem by its JSON
 * path ({@code $.tables[0].rules[1].regex}), plus what only a schedule has: an IANA time zone, a cron that fires no
 * more often than the configured floor, and a run deadline the hung-run sweep leaves alone.
 */
public final class ScheduleValidator {
    /** Firings looked at to find the shortest gap of a cron (enough for any sub-hour pattern to repeat). */
    private static final int FIRINGS_SAMPLED = 60;

    private final Duration cronFloor;
    private final IntegrityProperties defaults;

    /**
     * @param cronFloor the shortest allowed gap between two firings
     * @param defaults  the settings a schedule falls back to (run deadline, request timeout) and the sweep's max age
     */
    public ScheduleValidator(Duration cronFloor, IntegrityProperties defaults) {
        this.cronFloor = cronFloor;
        this.defaults = defaults;
    }

    /** Every problem of the schedule, each naming its JSON path; empty when it is valid. */
    public List<String> problems(ScheduleSpec s) {
        Checks checks = new Checks();
        checks.baseId("$.base_id", s.getBaseId());
        checks.cron("$.cron", s.getCron());
        ZoneId zone = zone(checks, s.getTimeZone());
        if (zone != null && s.getCron() != null && CronExpression.isValidExpression(s.getCron())) {
            cronFloor(checks, s.getCron(), zone);
        }
        checks.tables("$.tables", s.getTables());
        if (s.getMaxDurationSeconds() != null) {
            checks.positive("$.max_duration_seconds", s.getMaxDurationSeconds());
        }
        if (s.getRequestTimeoutSeconds() != null) {
            checks.positive("$.request_timeout_seconds", s.getRequestTimeoutSeconds());
        }
        int deadline = s.getMaxDurationSeconds() != null ? s.getMaxDurationSeconds()
                : defaults.getRun().getMaxDurationSeconds();
        if (deadline > defaults.getSweep().getMaxAgeSeconds()) {
            checks.add("$.max_duration_seconds (" + deadline + ") must not be above integrity.sweep.max-age-seconds ("
                    + defaults.getSweep().getMaxAgeSeconds() + "), or the sweep would time out healthy runs");
        }
        return checks.problems();
    }

    private static ZoneId zone(Checks checks, String timeZone) {
        try {
            return ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
        } catch (DateTimeException e) {
            checks.add("$.time_zone '" + timeZone + "' is not an IANA time zone such as UTC or Europe/Berlin");
            return null;
        }
    }

    private void cronFloor(Checks checks, String cron, ZoneId zone) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (java.text.ParseException e) {
            return; // reported by Checks.cron
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        Date previous = expression.getNextValidTimeAfter(Date.from(Instant.now()));
        for (int i = 0; i < FIRINGS_SAMPLED && previous != null; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next != null && next.getTime() - previous.getTime() < cronFloor.toMillis()) {
                checks.add("$.cron '" + cron + "' fires every " + (next.getTime() - previous.getTime()) / 1000
                        + " s at times; the shortest gap allowed is " + cronFloor.toSeconds() + " s");
                return;
            }
            previous = next;
        }
    }
}
