package com.airtableintegrity;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;

import com.airtableintegrity.airtable.AirtableRequests;
import com.airtableintegrity.airtable.AirtableResponses;
import com.airtableintegrity.airtable.AirtableRetries;
import com.airtableintegrity.api.RouteErrors;
import com.airtableintegrity.api.RunsApi;
import com.airtableintegrity.airtable.AirtableSettings;
import com.airtableintegrity.airtable.AirtableRequestGuard;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.MillisFunction;
import com.airtableintegrity.config.IntegrityPropertiesValidator;
import com.airtableintegrity.jmx.IntegrityRunnerControl;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.JvmErrorsAsExceptions;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunFailures;
import com.airtableintegrity.run.RunHeartbeats;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.run.RunnerShutdown;
import com.airtableintegrity.run.StartRateLimit;
import com.airtableintegrity.run.StartupRecovery;
import com.airtableintegrity.run.TableResultAggregation;
import com.airtableintegrity.store.FirestoreClients;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.google.cloud.firestore.Firestore;

/**
 * The beans the routes refer to by name, built from validated settings, the run collection and the executors. The
 * same wiring serves Spring Boot ({@link IntegrityConfiguration}) and a plain {@code CamelContext} or Camel Main
 * ({@link #bindTo}).
 */
public final class IntegrityBeans implements AutoCloseable {
    private final String runnerId;
    private final RunTransactions runs;
    private final RunReads reads;
    private final HungRunQueries hungRuns;
    private final IntegrityProperties.Sweep sweep;
    private final AirtableRequestGuard requestGuard;
    private final RunRegistry registry = new RunRegistry();
    private final RunnerShutdown shutdown = new RunnerShutdown(registry);
    private final Duration shutdownTimeout;
    private final RunHeartbeats heartbeats;
    private final RunLifecycle lifecycle;
    private final AirtableRequests requests;
    private final AirtableResponses responses;
    private final AirtableRetries retries;
    private final StartupRecovery recovery;
    private final IntegrityRunnerControl control;
    private final ManualRuns manualRuns;
    private volatile CamelContext camelContext;
    private ProducerTemplate runProducer;

    public IntegrityBeans(IntegrityProperties props, RunCollection store, RunnerExecutors executors) {
        IntegrityPropertiesValidator.validate(props);
        this.runnerId = runnerId(props);
        this.runs = new RunTransactions(store);
        this.reads = new RunReads(store);
        this.hungRuns = new HungRunQueries(store);
        this.sweep = props.getSweep();
        this.heartbeats = new RunHeartbeats(runs, Duration.ofSeconds(props.getRun().getHeartbeatIntervalSeconds()),
                executors.heartbeatTimer());
        this.lifecycle = new RunLifecycle(props, runnerId, runs, new IssueWriter(store), registry, heartbeats,
                shutdown);
        this.shutdownTimeout = Duration.ofSeconds(props.getShutdown().getTimeoutSeconds());
        this.requestGuard = new AirtableRequestGuard(props.getAirtable().getRequestsPerSecond(),
                Duration.ofMillis(props.getAirtable().getThrottlePeriodMillis()), props.getAirtable().getMaxPageBytes());
        AirtableSettings airtable = AirtableSettings.of(props.getAirtable());
        this.requests = new AirtableRequests(airtable, requestGuard);
        this.responses = new AirtableResponses(requestGuard);
        this.retries = new AirtableRetries(airtable, requestGuard);
        this.recovery = new StartupRecovery(hungRuns, runs, registry, runnerId);
        this.manualRuns = new ManualRuns(registry, props.getAirtable().getBaseId(), new StartRateLimit(
                props.getApi().getStartBurst(), props.getApi().getStartPerMinute(), System::nanoTime), this::runManually);
        this.control = new IntegrityRunnerControl(lifecycle, registry, manualRuns);
    }

    /** Binds every bean the routes name into the Camel registry and registers the JMX control service. */
    public void bindTo(CamelContext context) throws Exception {
        this.camelContext = context;
        Registry r = context.getRegistry();
        r.bind("runLifecycle", lifecycle);
        r.bind("runFailures", new RunFailures());
        r.bind("tableResultAggregation", new TableResultAggregation());
        r.bind("airtableRequests", requests);
        r.bind("airtableResponses", responses);
        r.bind("airtableRetries", retries);
        r.bind("airtableRequestGuard", requestGuard);
        r.bind("hungRunSweeper", new HungRunSweeper(hungRuns, Duration.ofSeconds(sweep.getMaxAgeSeconds()),
                Duration.ofSeconds(sweep.getHeartbeatStaleAfterSeconds()), runnerId,
                RunnerExecutors.sweepPool(context)));
        r.bind("startupRecovery", recovery);
        r.bind("runRegistry", registry);
        r.bind("runsApi", new RunsApi(reads, runs, manualRuns));
        r.bind("apiRouteErrors", new RouteErrors());
        control.registerWith(context);
        context.getCamelContextExtension().addInterceptStrategy(new JvmErrorsAsExceptions());
        context.getPropertiesComponent().addPropertiesFunction(new MillisFunction());
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext stopping) {
                // before Camel waits for in-flight exchanges: the live runs end now, with their status written
                shutdown.begin(runsShutdownBudget());
            }
        });
    }

    /**
     * The part of the shutdown timeout the live runs get for their final writes; the rest is for Camel, the web
     * server and the Firestore client to close.
     */
    Duration runsShutdownBudget() {
        return shutdownTimeout.multipliedBy(3).dividedBy(4);
    }

    /** A Firestore client for these settings: the emulator when {@code emulator-host} is set, else production. */
    public static Firestore connectFirestore(IntegrityProperties.Firestore f) {
        return FirestoreClients.connect(f.getProjectId(), f.getEmulatorHost().isBlank() ? null : f.getEmulatorHost());
    }

    /** The run collection over that client, with the configured collection name and call deadline. */
    public static RunCollection runCollection(Firestore firestore, IntegrityProperties.Firestore f,
                                              RunnerExecutors executors) {
        return new RunCollection(firestore, f.getCollection(), Duration.ofSeconds(f.getCallTimeoutSeconds()),
                Clock.systemUTC(), executors.storeTransactions());
    }

    /**
     * The {@code integrity.*} values the route files read through placeholders, for runtimes that do not read
     * application.yaml themselves (a plain CamelContext, Camel Main).
     */
    public static java.util.Properties routePlaceholders(IntegrityProperties p) {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("integrity.schedule.cron", p.getSchedule().getCron());
        props.setProperty("integrity.sweep.cron", p.getSweep().getCron());
        props.setProperty("integrity.run.max-duration-seconds", String.valueOf(p.getRun().getMaxDurationSeconds()));
        IntegrityProperties.Airtable a = p.getAirtable();
        props.setProperty("integrity.airtable.api-url", a.getApiUrl());
        props.setProperty("integrity.airtable.requests-per-second", String.valueOf(a.getRequestsPerSecond()));
        props.setProperty("integrity.airtable.throttle-period-millis", String.valueOf(a.getThrottlePeriodMillis()));
        props.setProperty("integrity.airtable.connect-timeout-seconds", String.valueOf(a.getConnectTimeoutSeconds()));
        props.setProperty("integrity.airtable.request-timeout-seconds", String.valueOf(a.getRequestTimeoutSeconds()));
        return props;
    }

    public String runnerId() { return runnerId; }
    public RunTransactions runs() { return runs; }
    public RunReads reads() { return reads; }
    public HungRunQueries hungRuns() { return hungRuns; }
    public RunLifecycle lifecycle() { return lifecycle; }
    public RunRegistry registry() { return registry; }
    public IntegrityRunnerControl control() { return control; }
    public RunnerShutdown shutdown() { return shutdown; }

    /** One manual run through route {@code integrity-run}, on the manual-run worker thread (returns when it ended). */
    private void runManually() {
        ProducerTemplate producer;
        synchronized (this) {
            if (runProducer == null) {
                runProducer = camelContext.createProducerTemplate();
            }
            producer = runProducer;
        }
        producer.sendBodyAndHeader("direct:integrity-run", null, RunLifecycle.TRIGGER, "manual");
    }

    @Override
    public void close() {
        manualRuns.close();
        requestGuard.close();
    }

    private static String runnerId(IntegrityProperties props) {
        String configured = props.getRun().getRunnerId();
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
        }
        return host;
    }
}
