package com.airtableintegrity.editor;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a schedule runs, as the editor offers it: a preset (every hour at a minute, every day, every weekday or every
 * week on a day at a time) or a Quartz cron typed by hand. A preset is only a way to write a cron: the schedule stores
 * the cron, and {@link #of(String)} finds the preset again when a stored cron is one, so that editing shows it so.
 */
public record WhenItRuns(Preset preset, int minute, LocalTime time, DayOfWeek day, String cron) {
    /** The presets, in the order the form lists them; {@code CRON} is a cron typed by hand. */
    public enum Preset { HOURLY, DAILY, WEEKDAYS, WEEKLY, CRON }

    private static final Pattern HOURLY_CRON = Pattern.compile("0 ([0-5]?\\d) \\* \\* \\* \\?");
    private static final Pattern AT_TIME_CRON = Pattern.compile(
            "0 ([0-5]?\\d) (1?\\d|2[0-3]) (\\* \\* \\?|\\? \\* MON-FRI|\\? \\* (MON|TUE|WED|THU|FRI|SAT|SUN))");

    public static WhenItRuns hourly(int minute) {
        return new WhenItRuns(Preset.HOURLY, minute, null, null, "0 " + minute + " * * * ?");
    }

    public static WhenItRuns daily(LocalTime at) {
        return new WhenItRuns(Preset.DAILY, 0, at, null, "0 " + at.getMinute() + " " + at.getHour() + " * * ?");
    }

    public static WhenItRuns weekdays(LocalTime at) {
        return new WhenItRuns(Preset.WEEKDAYS, 0, at, null,
                "0 " + at.getMinute() + " " + at.getHour() + " ? * MON-FRI");
    }

    public static WhenItRuns weekly(DayOfWeek day, LocalTime at) {
        return new WhenItRuns(Preset.WEEKLY, 0, at, day, "0 " + at.getMinute() + " " + at.getHour() + " ? * "
                + day.getDisplayName(TextStyle.SHORT, Locale.ROOT).toUpperCase(Locale.ROOT));
    }

    /** A stored cron: the preset that writes it, or {@code CRON}. */
    public static WhenItRuns of(String cron) {
        String c = cron == null ? "" : cron.trim();
        Matcher hourly = HOURLY_CRON.matcher(c);
        if (hourly.matches()) {
            return hourly(Integer.parseInt(hourly.group(1)));
        }
        Matcher at = AT_TIME_CRON.matcher(c);
        if (at.matches()) {
            LocalTime time = LocalTime.of(Integer.parseInt(at.group(2)), Integer.parseInt(at.group(1)));
            if (at.group(3).startsWith("*")) {
                return daily(time);
            }
            if (at.group(3).endsWith("MON-FRI")) {
                return weekdays(time);
            }
            return weekly(day(at.group(4)).orElseThrow(), time);
        }
        return new WhenItRuns(Preset.CRON, 0, null, null, c);
    }

    /**
     * As a sentence: a preset's own words ("every weekday (Monday to Friday) at 09:30"), a cron typed by hand in
     * cron-utils' ({@link CronPreview#sentence}); empty for a cron that does not parse.
     */
    public String sentence() {
        return switch (preset) {
            case HOURLY -> minute == 0 ? "every hour, on the hour" : "every hour at minute " + minute;
            case DAILY -> "every day at " + time;
            case WEEKDAYS -> "every weekday (Monday to Friday) at " + time;
            case WEEKLY -> "every " + day.getDisplayName(TextStyle.FULL, Locale.UK) + " at " + time;
            case CRON -> CronPreview.sentence(cron);
        };
    }

    private static Optional<DayOfWeek> day(String shortName) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(shortName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
