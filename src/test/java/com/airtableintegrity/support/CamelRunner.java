package com.airtableintegrity.support;

import java.util.Collection;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import com.airtableintegrity.IntegrityBeans;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunnerExecutors;
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
    private final IntegrityBeans beans;
    private final Firestore firestore;
    private final RunnerExecutors executors;
    private final ProducerTemplate template;

    private CamelRunner(CamelContext context, IntegrityBeans beans, Firestore firestore, RunnerExecutors executors) {
        this.context = context;
        this.beans = beans;
        this.firestore = firestore;
        this.executors = executors;
        this.template = context.createProducerTemplate();
    }

    /** Starts the routes with these settings; the emulator host in the settings must point at a running emulator. */
    public static CamelRunner start(IntegrityProperties props) throws Exception {
        return start(props, context -> { });
    }

    /** As {@link #start(IntegrityProperties)}, with a hook run just before the context starts (e.g. event notifiers). */
    public static CamelRunner start(IntegrityProperties props, Consumer<CamelContext> beforeStart) throws Exception {
        Firestore firestore = IntegrityBeans.connectFirestore(props.getFirestore());
        RunnerExecutors executors = new RunnerExecutors();
        IntegrityBeans beans = new IntegrityBeans(props,
                IntegrityBeans.runCollection(firestore, props.getFirestore(), executors), executors);
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(CONTEXT_NAME);
        context.getPropertiesComponent().setInitialProperties(IntegrityBeans.routePlaceholders(props));
        beans.bindTo(context);
        // the REST API (routes/rest/) needs an HTTP server, which a plain CamelContext does not have
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/*.camel.yaml").stream()
                .filter(r -> !r.getLocation().contains("/routes/rest/")).toList();
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        beforeStart.accept(context);
        context.start();
        return new CamelRunner(context, beans, firestore, executors);
    }

    /** Runs one manual integrity run to its end and returns its id (null when the run was skipped). */
    public String runNow() {
        Exchange done = template.request("direct:integrity-run",
                e -> e.getMessage().setHeader("integrityTrigger", "manual"));
        RunContext run = done.getProperty(RunExchange.RUN, RunContext.class);
        return run == null ? null : run.runId();
    }

    public CamelContext context() { return context; }
    public IntegrityBeans beans() { return beans; }
    public RunReads reads() { return beans.reads(); }
    public RunTransactions runs() { return beans.runs(); }
    public Firestore firestore() { return firestore; }
    public ProducerTemplate template() { return template; }

    @Override
    public void close() throws Exception {
        try {
            template.close();
            context.close();
        } finally {
            beans.close();
            executors.close();
            firestore.close();
        }
    }
}
