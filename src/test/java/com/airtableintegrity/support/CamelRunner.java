package com.airtableintegrity.support;

import java.util.Collection;
import java.util.Properties;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.NotifySettings;
import com.airtableintegrity.main.RunnerAssembly;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.google.cloud.firestore.Firestore;

/**
 * The product's YAML routes in a plain {@link DefaultCamelContext} (no Spring), wired with the same beans as in
 * Spring Boot, against a Firestore emulator. Starts in about a second, so scenario tests can each have their own.
 */
public final class CamelRunner implements AutoCloseable {
    public static final String CONTEXT_NAME = "airtable-integrity-runner";

    private final CamelContext context;
    private final RunnerAssembly beans;
    private final ProducerTemplate template;

    private CamelRunner(CamelContext context, RunnerAssembly beans) {
        this.context = context;
        this.beans = beans;
        this.template = context.createProducerTemplate();
    }

    /** Starts the routes with these settings; the emulator host in the settings must point at a running emulator. */
    public static CamelRunner start(IntegrityProperties props) throws Exception {
        return start(props, context -> { });
    }

    /** As {@link #start(IntegrityProperties)}, with a hook run just before the context starts (e.g. event notifiers). */
    public static CamelRunner start(IntegrityProperties props, Consumer<CamelContext> beforeStart) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(CONTEXT_NAME);
        context.getPropertiesComponent().setInitialProperties(routePlaceholders(props));
        RunnerAssembly beans = RunnerAssembly.wire(context, props);
        // the REST API (routes/rest/) needs an HTTP server, which a plain CamelContext does not have
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/**/*.camel.yaml").stream()
                .filter(r -> !r.getLocation().contains("/routes/rest/")).toList();
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        beforeStart.accept(context);
        context.start();
        return new CamelRunner(context, beans);
    }

    /**
     * The {@code integrity.*} values the route files read through placeholders: a plain CamelContext does not read
     * application.yaml, so they come from the settings object.
     */
    private static Properties routePlaceholders(IntegrityProperties p) {
        Properties props = new Properties();
        props.setProperty("integrity.schedule.cron", p.getSchedule().getCron());
        props.setProperty("integrity.sweep.cron", p.getSweep().getCron());
        props.setProperty("integrity.run.max-duration-seconds", String.valueOf(p.getRun().getMaxDurationSeconds()));
        IntegrityProperties.Airtable a = p.getAirtable();
        props.setProperty("integrity.airtable.api-url", a.getApiUrl());
        props.setProperty("integrity.airtable.requests-per-second", String.valueOf(a.getRequestsPerSecond()));
        props.setProperty("integrity.airtable.token-requests-per-second",
                String.valueOf(a.getTokenRequestsPerSecond()));
        props.setProperty("integrity.airtable.throttle-period-millis", String.valueOf(a.getThrottlePeriodMillis()));
        props.setProperty("integrity.airtable.connect-timeout-seconds", String.valueOf(a.getConnectTimeoutSeconds()));
        props.setProperty("integrity.airtable.request-timeout-seconds", String.valueOf(a.getRequestTimeoutSeconds()));
        NotifySettings n = p.getNotify();
        props.setProperty("integrity.notify.cron", n.getCron());
        props.setProperty("integrity.notify.connect-timeout-seconds", String.valueOf(n.getConnectTimeoutSeconds()));
        props.setProperty("integrity.notify.read-timeout-seconds", String.valueOf(n.getReadTimeoutSeconds()));
        return props;
    }

    /** Runs one manual integrity run to its end and returns its id (null when the run was skipped). */
    public String runNow() {
        return run(null);
    }

    /** As {@link #runNow()}, of this plan's base and tables (null: the configured ones). */
    public String run(ScanPlan plan) {
        RunContext run = runExchange(plan).getProperty(RunExchange.RUN, RunContext.class);
        return run == null ? null : run.runId();
    }

    /**
     * As {@link #run(ScanPlan)}, returning the finished exchange: its properties keep the run's
     * {@link RunContext} ({@link RunExchange#RUN}) and the baseline it was compared with ({@link RunExchange#BASELINE}).
     */
    public Exchange runExchange(ScanPlan plan) {
        return template.request("direct:integrity-run", e -> {
            e.getMessage().setHeader("integrityTrigger", "manual");
            if (plan != null) {
                e.setProperty(RunExchange.PLAN, plan);
            }
        });
    }

    public CamelContext context() { return context; }
    public RunnerAssembly beans() { return beans; }
    public RunReads reads() { return beans.reads(); }
    public RunTransactions runs() { return beans.runs(); }
    public Firestore firestore() { return beans.firestore(); }
    public ProducerTemplate template() { return template; }

    @Override
    public void close() throws Exception {
        template.close();
        context.close(); // the assembly closes its executors and the Firestore client once the context stopped
    }
}
