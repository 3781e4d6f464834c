package com.airtableintegrity.editor;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.text.ParseException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * A Quartz cron shown back to the person who wrote it: as a sentence (cron-utils' English descriptor) and as its next
 * firing times in the schedule's time zone (Quartz itself, which fires the schedule). An invalid cron has neither:
 * the validation that refuses it names the problem.
 */
public final class CronPreview {
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final CronDescriptor ENGLISH = CronDescriptor.instance(Locale.UK);

    private CronPreview() {
    }

    /** The cron as a sentence, e.g. "at 09:30 at Monday through Friday days"; empty when it does not parse. */
    public static String sentence(String cron) {
        try {
            return ENGLISH.describe(QUARTZ.parse(cron));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Its next {@code count} firing times after {@code now} in {@code zone}; empty when it does not parse. */
    public static List<ZonedDateTime> next(String cron, ZoneId zone, Instant now, int count) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            return List.of();
        }
        expression.setTimeZone(TimeZone.getTimeZone(zone));
        List<ZonedDateTime> times = new ArrayList<>();
        Date after = Date.from(now);
        while (times.size() < count) {
            Date next = expression.getNextValidTimeAfter(after);
            if (next == null) {
                break;
            }
            times.add(next.toInstant().atZone(zone));
            after = next;
        }
        return times;
    }
}
