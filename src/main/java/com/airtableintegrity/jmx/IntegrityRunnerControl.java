package com.airtableintegrity.jmx;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunRegistry;

/**
 * Operator controls over JMX, registered next to the routes as
 * {@code org.apache.camel:context=<name>,type=services,name=IntegrityRunnerControl}.
 */
@ManagedResource(description = "Airtable integrity runner: start and cancel runs")
public class IntegrityRunnerControl extends ServiceSupport implements CamelContextAware {
    private final RunLifecycle lifecycle;
    private final RunRegistry registry;
    private CamelContext camelContext;
    private ProducerTemplate producer;

    public IntegrityRunnerControl(RunLifecycle lifecycle, RunRegistry registry) {
        this.lifecycle = lifecycle;
        this.registry = registry;
    }

    @ManagedOperation(description = "Cancel a live run of this process by its id; it ends 'cancelled' within one page")
    public boolean cancelRun(String runId) {
        return lifecycle.cancel(runId);
    }

    @ManagedOperation(description = "Start a manual run now (in the background); skipped when a live run holds the base")
    public String runNow() {
        producer.asyncRequestBodyAndHeader("direct:integrity-run", null, RunLifecycle.TRIGGER, "manual");
        return "manual run requested";
    }

    @ManagedAttribute(description = "Ids of the runs alive in this process")
    public List<String> getActiveRuns() {
        return registry.active().stream().map(RunContext::runId).toList();
    }

    @ManagedAttribute(description = "Firings skipped by this process because a live run held the base")
    public long getSkippedRuns() {
        return lifecycle.skippedRuns();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    protected void doStart() {
        producer = camelContext.createProducerTemplate();
    }

    @Override
    protected void doStop() throws Exception {
        if (producer != null) {
            producer.close();
        }
    }
}
