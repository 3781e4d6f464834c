package com.airtableintegrity.jmx;

import java.util.ArrayList;
import java.util.List;

import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ManagementAgent;

import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.store.RunIds;

/**
 * Operator controls over JMX, registered next to the routes under the stable name
 * {@code org.apache.camel:context=<camel.main.name>,type=services,name=IntegrityRunnerControl}.
 */
@ManagedResource(description = "Airtable integrity runner: start and cancel runs, list and switch schedules")
public class IntegrityRunnerControl {
    static final int MAX_SCHEDULES_LISTED = 1000;

    public static final String MBEAN_NAME = "IntegrityRunnerControl";

    private final RunLifecycle lifecycle;
    private final RunRegistry registry;
    private final ManualRuns manualRuns;
    private final ScheduleCatalog schedules;

    public IntegrityRunnerControl(RunLifecycle lifecycle, RunRegistry registry, ManualRuns manualRuns,
                                  ScheduleCatalog schedules) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.manualRuns = manualRuns;
        this.schedules = schedules;
    }

    /** Registers this control with the context's JMX agent once the context has started (no-op without JMX). */
    public void registerWith(CamelContext context) throws Exception {
        context.addStartupListener((ctx, alreadyStarted) -> {
            ManagementAgent agent = ctx.getManagementStrategy().getManagementAgent();
            if (agent != null) {
                agent.register(this, ObjectName.getInstance(agent.getMBeanObjectDomainName() + ":context="
                        + ctx.getManagementName() + ",type=services,name=" + MBEAN_NAME));
            }
        });
    }

    @ManagedOperation(description = "Cancel a live run of this process by its id; it ends 'cancelled' within one page")
    public boolean cancelRun(String runId) {
        return lifecycle.cancel(runId);
    }

    @ManagedOperation(description = "Start a manual run now (in the background); refused while a run of the base is "
            + "live or queued here, or when starts come too often")
    public String runNow() {
        return manualRuns.request().message();
    }

    @ManagedOperation(description = "The schedules by name, one line each: id, enabled, cron, time zone, base, name "
            + "(the configured one as 'default' while none is stored), and why one is not applied; at most the first "
            + MAX_SCHEDULES_LISTED)
    public List<String> listSchedules() {
        ScheduleCatalog.Page page = schedules.page(null, MAX_SCHEDULES_LISTED);
        List<String> lines = new ArrayList<>(page.schedules().stream().map(e -> e.id() + " "
                + (e.spec().isEnabled() ? "enabled" : "disabled") + " '" + e.spec().getCron() + "' "
                + e.spec().getTimeZone() + " " + e.spec().getBaseId() + " " + e.spec().getName()
                + (e.configured() ? " (application.yaml)" : "")
                + (schedules.notApplied(e.id()) == null ? "" : " (not applied: " + schedules.notApplied(e.id()) + ")"))
                .toList());
        if (page.next() != null) {
            lines.add("(more schedules than the first " + MAX_SCHEDULES_LISTED + ": GET /api/schedules pages through "
                    + "them all)");
        }
        return lines;
    }

    @ManagedOperation(description = "Enable a stored schedule (every runner follows within seconds)")
    public String enableSchedule(String scheduleId) {
        return setEnabled(scheduleId, true);
    }

    @ManagedOperation(description = "Disable a stored schedule (every runner follows; a run in progress ends)")
    public String disableSchedule(String scheduleId) {
        return setEnabled(scheduleId, false);
    }

    private String setEnabled(String scheduleId, boolean enabled) {
        String state = enabled ? "enabled" : "disabled";
        try {
            return schedules.setEnabled(RunIds.require("schedule", scheduleId), enabled)
                    ? "Schedule " + scheduleId + " " + state : "No stored schedule with id '" + scheduleId + "'";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (ScheduleCatalog.InvalidSchedule e) {
            return "Schedule " + scheduleId + " is not valid, so it was not " + state + ": "
                    + String.join("; ", e.problems());
        }
    }

    @ManagedAttribute(description = "Ids of the runs alive in this process")
    public List<String> getActiveRuns() {
        return registry.active().stream().map(RunContext::runId).toList();
    }

    @ManagedAttribute(description = "Firings skipped by this process because a live run held the base")
    public long getSkippedRuns() {
        return lifecycle.skippedRuns();
    }
}
