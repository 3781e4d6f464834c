package com.airtableintegrity.run;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import com.airtableintegrity.config.NotifySpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;

/**
 * What one run scans: a base and its tables with their rules, and the schedule it comes from with that schedule's
 * overrides of the run deadline and the request timeout (null: the configured ones) and the channels its runs notify.
 * The configured base and tables are the default plan; a caller of route {@code integrity-run} may hand another one in exchange property
 * {@link RunExchange#PLAN}, so that runs of several bases (each under its own per-base throttle and lock) can go side
 * by side.
 */
public record ScanPlan(String baseId, List<TableSpec> tables, String scheduleId, Duration maxDuration,
                       Duration requestTimeout, List<NotifySpec> notifications) {
    /** A plan of no schedule document, under the configured bounds, notifying no one. */
    public ScanPlan(String baseId, List<TableSpec> tables) {
        this(baseId, tables, null, null, null, List.of());
    }

    public ScanPlan(String baseId, List<TableSpec> tables, String scheduleId, Duration maxDuration,
                    Duration requestTimeout) {
        this(baseId, tables, scheduleId, maxDuration, requestTimeout, List.of());
    }

    public ScanPlan {
        Objects.requireNonNull(baseId, "baseId");
        tables = List.copyOf(tables);
        notifications = notifications == null ? List.of() : List.copyOf(notifications);
    }

    /** The plan of a schedule's firing (or manual run). */
    public static ScanPlan of(String scheduleId, ScheduleSpec schedule) {
        return new ScanPlan(schedule.getBaseId(), schedule.getTables(), scheduleId,
                seconds(schedule.getMaxDurationSeconds()), seconds(schedule.getRequestTimeoutSeconds()),
                schedule.getNotify());
    }

    public List<String> tableNames() {
        return tables.stream().map(TableSpec::getName).toList();
    }

    private static Duration seconds(Integer value) {
        return value == null ? null : Duration.ofSeconds(value);
    }
}
