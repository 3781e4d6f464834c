package com.airtableintegrity.bench;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import com.airtableintegrity.IntegrityBeans;
import com.airtableintegrity.airtable.AirtablePager;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.store.RunStore;
import com.google.cloud.firestore.Firestore;

/**
 * As the tests' {@code CamelRunner} (the product's YAML routes and beans in a plain CamelContext), with a hook that
 * runs before the context starts, so the benchmark can add an event notifier.
 */
final class BenchRunner implements AutoCloseable {
    private final CamelContext context;
    private final IntegrityBeans beans;
    private final RunStore store;
    private final ProducerTemplate template;

    private BenchRunner(CamelContext context, IntegrityBeans beans, RunStore store) {
        this.context = context;
        this.beans = beans;
        this.store = store;
        this.template = context.createProducerTemplate();
    }

    static BenchRunner start(IntegrityProperties props, Consumer<CamelContext> beforeStart) throws Exception {
        IntegrityProperties.Firestore f = props.getFirestore();
        Firestore firestore = RunStore.connect(f.getProjectId(), f.getEmulatorHost());
        RunStore store = new RunStore(firestore, f.getCollection(), Duration.ofSeconds(f.getCallTimeoutSeconds()),
                Clock.systemUTC());
        IntegrityBeans beans = new IntegrityBeans(props, store);
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName("airtable-integrity-runner");
        context.getPropertiesComponent().setInitialProperties(IntegrityBeans.routePlaceholders(props));
        beans.bindTo(context);
        Collection<Resource> routes = PluginHelper.getPackageScanResourceResolver(context)
                .findResources("classpath:routes/*.camel.yaml");
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        beforeStart.accept(context);
        context.start();
        return new BenchRunner(context, beans, store);
    }

    /** Runs one manual run to its end; returns its id (null when skipped). */
    String runNow() {
        Exchange done = template.request("direct:integrity-run",
                e -> e.getMessage().setHeader("integrityTrigger", "manual"));
        RunContext run = done.getProperty(AirtablePager.RUN, RunContext.class);
        return run == null ? null : run.runId();
    }

    RunStore store() {
        return store;
    }

    @Override
    public void close() throws Exception {
        try {
            template.close();
            context.close();
        } finally {
            beans.close();
            store.close();
        }
    }
}
