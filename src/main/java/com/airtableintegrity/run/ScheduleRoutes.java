package com.airtableintegrity.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.ScheduleSpec;

/**
 * Turns schedules into Camel routes and back: an enabled schedule is a route from template
 * {@code integrity-schedule-template} with id {@code integrity-schedule-<scheduleId>}; applying a changed schedule
 * replaces its route, a disabled or removed one loses it. Removing a route lets a run it started finish (Camel stops
 * the route gracefully; the Quartz firing in progress completes). Its firings get the schedule's base and tables.
 */
public final class ScheduleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRoutes.class);
    public static final String TEMPLATE = "integrity-schedule-template";
    /** Exchange property the template sets: the id of the schedule that fired. */
    public static final String SCHEDULE_ID = "integrityScheduleId";

    private final Supplier<CamelContext> camel;
    private final ScanPlan configured;
    private final Map<String, ScheduleSpec> applied = new ConcurrentHashMap<>();

    /** @param configured the configured base and tables, which schedule {@code default} scans */
    public ScheduleRoutes(Supplier<CamelContext> camel, ScanPlan configured) {
        this.camel = camel;
        this.configured = configured;
    }

    public static String routeId(String scheduleId) {
        return "integrity-schedule-" + scheduleId;
    }

    /** Creates, replaces or (when disabled) removes the route of this schedule. */
    public synchronized void apply(String scheduleId, ScheduleSpec schedule) {
        remove(scheduleId);
        if (!schedule.isEnabled()) {
            return;
        }
        applied.put(scheduleId, schedule);
        try {
            TemplatedRouteBuilder.builder(camel.get(), TEMPLATE).routeId(routeId(scheduleId))
                    .parameter("scheduleId", scheduleId).parameter("cron", schedule.getCron())
                    .parameter("timeZone", schedule.getTimeZone()).add();
        } catch (RuntimeException e) {
            applied.remove(scheduleId);
            throw new IllegalStateException("Schedule " + scheduleId + " could not become a route: " + e.getMessage(),
                    e);
        }
        LOG.info("Schedule {} ('{}'): route {} fires on '{}' ({}) for base {}", scheduleId, schedule.getName(),
                routeId(scheduleId), schedule.getCron(), schedule.getTimeZone(), schedule.getBaseId());
    }

    /** Removes the schedule's route, if it has one. */
    public synchronized void remove(String scheduleId) {
        if (applied.remove(scheduleId) == null) {
            return;
        }
        CamelContext context = camel.get();
        try {
            context.getRouteController().stopRoute(routeId(scheduleId));
            context.removeRoute(routeId(scheduleId));
        } catch (Exception e) {
            throw new IllegalStateException("The route of schedule " + scheduleId + " could not be removed: "
                    + e.getMessage(), e);
        }
        LOG.info("Schedule {}: route {} removed", scheduleId, routeId(scheduleId));
    }

    /** Step of route {@code integrity-schedule}: its run scans the configured base and tables as schedule default. */
    public void planConfigured(Exchange exchange) {
        exchange.setProperty(RunExchange.PLAN, new ScanPlan(configured.baseId(), configured.tables(),
                ScheduleCatalog.DEFAULT_ID, null, null));
    }

    /** Step of the template's route: the run of the schedule that fired scans its base and tables. */
    public void plan(Exchange exchange) {
        String scheduleId = exchange.getProperty(SCHEDULE_ID, String.class);
        ScheduleSpec schedule = applied.get(scheduleId);
        if (schedule == null) {
            throw new IllegalStateException("Schedule " + scheduleId + " fired but is no longer applied");
        }
        exchange.setProperty(RunExchange.PLAN, ScanPlan.of(scheduleId, schedule));
    }
}
