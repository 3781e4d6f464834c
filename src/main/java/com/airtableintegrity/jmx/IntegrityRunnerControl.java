package com.airtableintegrity.jmx;

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

/**
 * Operator controls over JMX, registered next to the routes under the stable name
 * {@code org.apache.camel:context=<camel.main.name>,type=services,name=IntegrityRunnerControl}.
 */
@ManagedResource(description = "Airtable integrity runner: start and cancel runs")
public class IntegrityRunnerControl {
    public static final String MBEAN_NAME = "IntegrityRunnerControl";

    private final RunLifecycle lifecycle;
    private final RunRegistry registry;
    private final ManualRuns manualRuns;

    public IntegrityRunnerControl(RunLifecycle lifecycle, RunRegistry registry, ManualRuns manualRuns) {
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.manualRuns = manualRuns;
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

    @ManagedAttribute(description = "Ids of the runs alive in this process")
    public List<String> getActiveRuns() {
        return registry.active().stream().map(RunContext::runId).toList();
    }

    @ManagedAttribute(description = "Firings skipped by this process because a live run held the base")
    public long getSkippedRuns() {
        return lifecycle.skippedRuns();
    }
}
