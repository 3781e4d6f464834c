package com.airtableintegrity.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;

import org.quartz.CronExpression;

/**
 * Checks a {@link ScheduleSpec} with the startup validator's rules ({@link Checks}), naming each problem by its JSON
 * path ({@code $.tables[0].rules[1].regex}), plus what only a schedule has: an IANA time zone, a cron that fires no
 * more often than {@code integrity.schedule.min-interval-seconds}, and overrides of the run deadline and the request
 * timeout that stay within the configured ones ({@code integrity.run.max-duration-seconds},
 * {@code integrity.airtable.request-timeout-seconds}) and below the sweep's max age.
 */
public final class ScheduleValidator {
    /** Firings looked at to find the shortest gap of a cron (enough for any sub-hour pattern to repeat). */
    private static final int FIRINGS_SAMPLED = 60;

    private final Duration cronFloor;
    private final IntegrityProperties defaults;

    /**
     * @param defaults the settings: the cron floor ({@code integrity.schedule.min-interval-seconds}), the ceilings
     *                 of the overrides (run deadline, request timeout) and the sweep's max age
     */
    public ScheduleValidator(IntegrityProperties defaults) {
        this.cronFloor = Duration.ofSeconds(defaults.getSchedule().getMinIntervalSeconds());
        this.defaults = defaults;
    }

    /** Every problem of the schedule, each naming its JSON path; empty when it is valid. */
    public List<String> problems(ScheduleSpec s) {
        Checks checks = new Checks();
        checks.required("$.name", s.getName(), true);
        checks.baseId("$.base_id", s.getBaseId());
        ZoneId zone = zoneOrNull(s.getTimeZone());
        if (s.getCron() == null || s.getCron().isBlank()) {
            checks.add("$.cron is required: a Quartz cron expression such as '0 0 * * * ?' (hourly)");
        } else {
            checks.cron("$.cron", s.getCron(), TimeZone.getTimeZone(zone == null ? ZoneOffset.UTC : zone));
        }
        if (zone == null) {
            checks.add("$.time_zone '" + s.getTimeZone() + "' is not an IANA time zone such as UTC or Europe/Berlin");
        } else if (s.getCron() != null && CronExpression.isValidExpression(s.getCron())) {
            cronFloor(checks, s.getCron(), zone);
        }
        checks.tables("$.tables", s.getTables());
        NotifyValidator.notifyList(checks, "$.notify", s.getNotify(), defaults.getNotify().getChannels().keySet());
        // the overrides can only shorten: the configured values are the split's total timeout and the client's
        // socket timeouts, fixed when the routes start; and a deadline above the sweep's max age would be swept
        Integer maxDuration = s.getMaxDurationSeconds();
        int runCeiling = defaults.getRun().getMaxDurationSeconds();
        int sweepAge = defaults.getSweep().getMaxAgeSeconds();
        if (maxDuration != null && (maxDuration < 1 || maxDuration > Math.min(runCeiling, sweepAge))) {
            checks.add("$.max_duration_seconds must be from 1 to " + Math.min(runCeiling, sweepAge) + ", was "
                    + maxDuration + ": at most integrity.run.max-duration-seconds (" + runCeiling + "), the "
                    + "longest run deadline, and integrity.sweep.max-age-seconds (" + sweepAge + "), or the sweep "
                    + "would time out healthy runs");
        }
        Integer requestTimeout = s.getRequestTimeoutSeconds();
        if (requestTimeout != null) {
            checks.range("$.request_timeout_seconds (at most integrity.airtable.request-timeout-seconds)",
                    requestTimeout, 1, defaults.getAirtable().getRequestTimeoutSeconds());
        }
        return checks.problems();
    }

    private static ZoneId zoneOrNull(String timeZone) {
        try {
            return ZoneId.of(timeZone == null || timeZone.isBlank() ? "UTC" : timeZone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The shortest gap between firings, sampled from now; a cron that never fires is reported by Checks.cron. */
    private void cronFloor(Checks checks, String cron, ZoneId zone) {
        CronExpression expression = Checks.inZone(cron, TimeZone.getTimeZone(zone));
        Date previous = expression.getNextValidTimeAfter(Date.from(Instant.now()));
        for (int i = 0; i < FIRINGS_SAMPLED && previous != null; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next != null && next.getTime() - previous.getTime() < cronFloor.toMillis()) {
                checks.add("$.cron '" + cron + "' fires every " + (next.getTime() - previous.getTime()) / 1000
                        + " s at times; the shortest gap allowed is " + cronFloor.toSeconds()
                        + " s (integrity.schedule.min-interval-seconds)");
                return;
            }
            previous = next;
        }
    }
}
