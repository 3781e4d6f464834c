package com.airtableintegrity.run;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.ScheduleSpec;

/**
 * Turns schedules into Camel routes and back: an enabled schedule is a route from template
 * {@code integrity-schedule-template} with id {@code integrity-schedule-<scheduleId>}; applying a changed schedule
 * replaces its route, a disabled or removed one loses it. Its firings get the schedule's base and tables.
 * <p>
 * A run in progress is never cut and never holds anything up: stopping a route makes Camel wait for its in-flight
 * exchange while holding the context's lock, which would stall every other schedule change for as long as a run
 * lasts. So a route with a run in flight has its Quartz trigger paused at once (no new firing), and the change waits
 * here; {@link #settle()} (called every second) makes it once the run has ended, when stopping the route is
 * immediate.
 */
public final class ScheduleRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRoutes.class);
    public static final String TEMPLATE = "integrity-schedule-template";
    /** Exchange property the template sets: the id of the schedule that fired. */
    public static final String SCHEDULE_ID = "integrityScheduleId";

    private final Supplier<CamelContext> camel;
    private final ScanPlan configured;
    /** The schedules that have a route, as applied. */
    private final Map<String, ScheduleSpec> applied = new ConcurrentHashMap<>();
    /** Changes waiting for a run to end: the schedule to apply, or empty to remove. */
    private final Map<String, Optional<ScheduleSpec>> waiting = new ConcurrentHashMap<>();

    /** @param configured the configured base and tables, which schedule {@code default} scans */
    public ScheduleRoutes(Supplier<CamelContext> camel, ScanPlan configured) {
        this.camel = camel;
        this.configured = configured;
    }

    public static String routeId(String scheduleId) {
        return "integrity-schedule-" + scheduleId;
    }

    /** Creates, replaces or (when disabled) removes the route of this schedule; waits for no run. */
    public synchronized void apply(String scheduleId, ScheduleSpec schedule) {
        change(scheduleId, schedule.isEnabled() ? Optional.of(schedule) : Optional.empty());
    }

    /** Removes the schedule's route, if it has one; waits for no run. */
    public synchronized void remove(String scheduleId) {
        change(scheduleId, Optional.empty());
    }

    /** True while a change of this schedule waits for its run to end. */
    public boolean waiting(String scheduleId) {
        return waiting.containsKey(scheduleId);
    }

    /** Makes the changes whose runs have ended. */
    public synchronized void settle() {
        for (Map.Entry<String, Optional<ScheduleSpec>> change : Map.copyOf(waiting).entrySet()) {
            if (!runInFlight(change.getKey())) {
                try {
                    changeNow(change.getKey(), change.getValue());
                    waiting.remove(change.getKey());
                } catch (RuntimeException e) {
                    LOG.warn("Schedule {}: the change that waited for its run failed (retried in a second): {}",
                            change.getKey(), e.getMessage());
                }
            }
        }
    }

    private void change(String scheduleId, Optional<ScheduleSpec> schedule) {
        if (applied.containsKey(scheduleId) && runInFlight(scheduleId)) {
            pauseTrigger(scheduleId);
            waiting.put(scheduleId, schedule);
            LOG.info("Schedule {}: its run is in progress; the change applies when it ends (no new firing before)",
                    scheduleId);
            return;
        }
        waiting.remove(scheduleId);
        changeNow(scheduleId, schedule);
    }

    private void changeNow(String scheduleId, Optional<ScheduleSpec> schedule) {
        removeRoute(scheduleId);
        schedule.ifPresent(s -> addRoute(scheduleId, s));
    }

    private void addRoute(String scheduleId, ScheduleSpec schedule) {
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

    private void removeRoute(String scheduleId) {
        if (!applied.containsKey(scheduleId)) {
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
        applied.remove(scheduleId); // after the route: a firing until then still finds its schedule
        LOG.info("Schedule {}: route {} removed", scheduleId, routeId(scheduleId));
    }

    private boolean runInFlight(String scheduleId) {
        return camel.get().getInflightRepository().size(routeId(scheduleId)) > 0;
    }

    private void pauseTrigger(String scheduleId) {
        Route route = camel.get().getRoute(routeId(scheduleId));
        if (route != null && route.getEndpoint() instanceof QuartzEndpoint quartz) {
            try {
                quartz.pauseTrigger();
            } catch (Exception e) {
                // the stateful job cannot fire while its run is in flight anyway; the change still waits for it
                LOG.warn("Schedule {}: pausing its trigger failed: {}", scheduleId, e.toString());
            }
        }
    }

    /** Step of route {@code integrity-schedule}: its run scans the configured base and tables as schedule default. */
    public void planConfigured(Exchange exchange) {
        exchange.setProperty(RunExchange.PLAN, new ScanPlan(configured.baseId(), configured.tables(),
                ScheduleCatalog.DEFAULT_ID, null, null, configured.notifications()));
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
