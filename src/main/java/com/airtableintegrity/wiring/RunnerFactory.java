package com.airtableintegrity.wiring;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

import com.airtableintegrity.airtable.AirtableRequestGuard;
import com.airtableintegrity.airtable.AirtableRequests;
import com.airtableintegrity.airtable.AirtableResponses;
import com.airtableintegrity.airtable.AirtableRetries;
import com.airtableintegrity.airtable.AirtableSettings;
import com.airtableintegrity.airtable.SchemaReads;
import com.airtableintegrity.api.ApiAnswerHeaders;
import com.airtableintegrity.api.RouteErrors;
import com.airtableintegrity.api.RunsApi;
import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.IntegrityPropertiesValidator;
import com.airtableintegrity.config.MillisFunction;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.ScheduleValidator;
import com.airtableintegrity.jmx.IntegrityRunnerControl;
import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.notify.Notifier;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.JvmErrorsAsExceptions;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.RunFailures;
import com.airtableintegrity.run.RunHeartbeats;
import com.airtableintegrity.run.RunHistory;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunLogContext;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunningRunGauges;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.run.RunnerShutdown;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.run.ScheduleProblems;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.run.ScheduleSync;
import com.airtableintegrity.run.StartRateLimit;
import com.airtableintegrity.run.StartupRecovery;
import com.airtableintegrity.run.TableResultAggregation;
import com.airtableintegrity.store.FirestoreClients;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.IssueStates;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.airtableintegrity.store.ScheduleDocuments;
import com.google.cloud.firestore.Firestore;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How each object of the runner is made, from the validated settings and the objects it needs: one method per
 * object, named as the routes refer to it. Every runtime builds the runner through these methods: Spring Boot from
 * its {@code @Bean} methods ({@code boot/IntegrityBootConfiguration}), Camel Main and plain CamelContexts through
 * {@code main/RunnerAssembly}. The objects themselves ({@code airtable/}, {@code rules/}, {@code run/},
 * {@code store/}) know nothing of any runtime.
 */
public final class RunnerFactory {
    private final IntegrityProperties settings;
    /** Shared by the schedule sync, which finds the documents it does not apply, and the catalog, which shows them. */
    private final ScheduleProblems scheduleProblems = new ScheduleProblems();
    private final String runnerId;
    private final RunnerMetrics metrics;

    /** A runner whose meters only it reads (a {@link SimpleMeterRegistry}): Camel Main, plain contexts. */
    public RunnerFactory(IntegrityProperties settings) {
        this(settings, new SimpleMeterRegistry());
    }

    /**
     * @param meters where the runner's meters go (Spring Boot's registry, published at /actuator/prometheus)
     * @throws com.airtableintegrity.config.InvalidConfigurationException naming every setting at fault
     */
    public RunnerFactory(IntegrityProperties settings, MeterRegistry meters) {
        IntegrityPropertiesValidator.validate(settings);
        this.settings = settings;
        this.runnerId = runnerId(settings);
        this.metrics = new RunnerMetrics(meters, Clock.systemUTC());
    }

    public IntegrityProperties settings() { return settings; }
    public String runnerId() { return runnerId; }
    public RunnerMetrics metrics() { return metrics; }

    /** The Firestore client: the emulator when {@code emulator-host} is set, else production. */
    public Firestore firestore() {
        IntegrityProperties.Firestore f = settings.getFirestore();
        return FirestoreClients.connect(f.getProjectId(), f.getEmulatorHost().isBlank() ? null : f.getEmulatorHost());
    }

    public RunnerExecutors runnerExecutors() {
        return new RunnerExecutors();
    }

    public RunCollection runCollection(Firestore firestore) {
        IntegrityProperties.Firestore f = settings.getFirestore();
        return new RunCollection(firestore, f.getCollection(), Duration.ofSeconds(f.getCallTimeoutSeconds()),
                Clock.systemUTC());
    }

    public RunTransactions runTransactions(RunCollection runs) { return new RunTransactions(runs); }
    public RunReads runReads(RunCollection runs) { return new RunReads(runs); }
    public HungRunQueries hungRunQueries(RunCollection runs) { return new HungRunQueries(runs); }
    public IssueWriter issueWriter(RunCollection runs) { return new IssueWriter(runs); }
    public RunRegistry runRegistry() { return new RunRegistry(); }
    public RunnerShutdown runnerShutdown(RunRegistry registry) { return new RunnerShutdown(registry); }
    public RunFailures runFailures() { return new RunFailures(); }
    public TableResultAggregation tableResultAggregation() { return new TableResultAggregation(); }
    public RouteErrors apiRouteErrors() { return new RouteErrors(); }

    public ApiAnswerHeaders apiAnswerHeaders() { return new ApiAnswerHeaders(); }

    public RunHeartbeats runHeartbeats(RunTransactions runs, RunnerExecutors executors) {
        return new RunHeartbeats(runs, Duration.ofSeconds(settings.getRun().getHeartbeatIntervalSeconds()),
                executors.heartbeatTimer());
    }

    public RunLifecycle runLifecycle(RunCollection collection, RunTransactions runs, IssueWriter issues,
                                     RunRegistry registry, RunHeartbeats heartbeats, RunnerShutdown shutdown) {
        RunHistory history = new RunHistory(new IssueStates(collection), issues,
                settings.getIssues().getMaxStored());
        return new RunLifecycle(settings, runnerId, runs, issues, history, registry, heartbeats, shutdown, metrics);
    }

    public AirtableRequestGuard airtableRequestGuard() {
        IntegrityProperties.Airtable a = settings.getAirtable();
        return new AirtableRequestGuard(a.getRequestsPerSecond(), a.getTokenRequestsPerSecond(),
                Duration.ofMillis(a.getThrottlePeriodMillis()), a.getMaxPageBytes(), metrics);
    }

    public AirtableRequests airtableRequests(AirtableRequestGuard guard) {
        return new AirtableRequests(AirtableSettings.of(settings.getAirtable()), guard, metrics);
    }

    public SchemaReads schemaReads(AirtableRequestGuard guard) {
        return new SchemaReads(AirtableSettings.of(settings.getAirtable()), guard,
                Duration.ofSeconds(settings.getAirtable().getSchemaReadTimeoutSeconds()));
    }

    public AirtableResponses airtableResponses(AirtableRequestGuard guard) {
        return new AirtableResponses(guard);
    }

    public AirtableRetries airtableRetries(AirtableRequestGuard guard) {
        return new AirtableRetries(AirtableSettings.of(settings.getAirtable()), guard);
    }

    /** Its marks run on a pool that Camel makes and shuts down with {@code camel}. */
    public HungRunSweeper hungRunSweeper(HungRunQueries hungRuns, CamelContext camel) {
        IntegrityProperties.Sweep sweep = settings.getSweep();
        return new HungRunSweeper(hungRuns, Duration.ofSeconds(sweep.getMaxAgeSeconds()),
                Duration.ofSeconds(sweep.getHeartbeatStaleAfterSeconds()), runnerId, RunnerExecutors.sweepPool(camel),
                metrics);
    }

    /** The gauges of the runs in progress: this process's live runs and what its last sweep saw. */
    public RunningRunGauges runningRunGauges(RunRegistry registry, HungRunSweeper sweeper, HungRunQueries hungRuns) {
        return RunningRunGauges.register(metrics, registry, sweeper, hungRuns.clock(),
                Duration.ofSeconds(settings.getRun().getMaxDurationSeconds()));
    }

    public StartupRecovery startupRecovery(HungRunQueries hungRuns, RunTransactions runs, RunRegistry registry) {
        return new StartupRecovery(hungRuns, runs, registry, runnerId);
    }

    /** Manual runs go through route {@code integrity-run}; the context is asked for only when the first one starts. */
    public ManualRuns manualRuns(RunRegistry registry, Supplier<CamelContext> camel) {
        IntegrityProperties.Api api = settings.getApi();
        return new ManualRuns(registry, configuredPlan(),
                new StartRateLimit(api.getStartBurst(), api.getStartPerMinute(), System::nanoTime),
                new RunThroughRoute(camel));
    }

    public ScheduleDocuments scheduleDocuments(RunCollection runs) {
        return new ScheduleDocuments(runs, settings.getFirestore().getSchedulesCollection());
    }

    /** Schedule documents become routes: on every change (a listener) and every minute (route schedule-sync). */
    public ScheduleSync scheduleSync(ScheduleDocuments documents, ScheduleRoutes routes, RunnerExecutors executors) {
        return new ScheduleSync(documents, routes, new ScheduleValidator(settings),
                executors.scheduleSync(), scheduleProblems, settings.getSchedule().getMaxStored());
    }

    /** Schedules as routes from the template; the context is asked for only when a schedule is applied. */
    public ScheduleRoutes scheduleRoutes(Supplier<CamelContext> camel) {
        return new ScheduleRoutes(camel, configuredPlan());
    }

    /** The schedules for the REST API and JMX: the stored ones, else the configured one as schedule default. */
    public ScheduleCatalog scheduleCatalog(ScheduleDocuments documents, ManualRuns manualRuns) {
        return new ScheduleCatalog(documents, new ScheduleValidator(settings), configuredSchedule(), manualRuns,
                scheduleProblems, settings.getSchedule().getMaxStored());
    }

    public IntegrityRunnerControl integrityRunnerControl(RunLifecycle lifecycle, RunRegistry registry,
                                                         ManualRuns manualRuns, ScheduleCatalog schedules) {
        return new IntegrityRunnerControl(lifecycle, registry, manualRuns, schedules);
    }

    public RunsApi runsApi(RunReads reads, RunTransactions runs, ManualRuns manualRuns) {
        return new RunsApi(reads, runs, manualRuns);
    }

    public SchedulesApi schedulesApi(ScheduleCatalog schedules) {
        return new SchedulesApi(schedules);
    }

    /** The notification objects (outbox, the routes' steps, receiver bounds, mail sessions); close after Camel. */
    public Notifier notifier(RunCollection runs) {
        return new Notifier(settings, runs, runnerId, metrics.registry());
    }

    /**
     * What the runner adds to its CamelContext before it starts, in any runtime: JVM errors as exchange exceptions,
     * the run's MDC keys on every step of its exchanges, the {@code {{millis:...}}} placeholder, the control service
     * over JMX, and the shutdown that ends live runs before Camel waits for in-flight exchanges.
     */
    public void prepare(CamelContext camel, IntegrityRunnerControl control, RunnerShutdown shutdown) {
        camel.getCamelContextExtension().addInterceptStrategy(new JvmErrorsAsExceptions());
        camel.getCamelContextExtension().addInterceptStrategy(new RunLogContext());
        camel.getPropertiesComponent().addPropertiesFunction(new MillisFunction());
        // the table split's pool (route integrity-run), looked up when the routes are built
        RunnerExecutors.registerTableThreads(camel, settings.getRun().getTableThreads());
        // the Quartz threads that fire the schedule routes, each held for its whole run
        QuartzThreads.configure(camel, settings.getSchedule().getThreads());
        try {
            control.registerWith(camel);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register the JMX control service: " + e.getMessage(), e);
        }
        // three quarters of the shutdown timeout for the runs' final writes; the rest for Camel, web server, client
        Duration runsBudget = Duration.ofSeconds(settings.getShutdown().getTimeoutSeconds()).multipliedBy(3)
                .dividedBy(4);
        camel.addLifecycleStrategy(new StopRunsFirst(shutdown, runsBudget));
    }

    private static String runnerId(IntegrityProperties settings) {
        String configured = settings.getRun().getRunnerId();
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

    /** The configured schedule: integrity.schedule.cron in the JVM's time zone (as Quartz reads it). */
    private ScheduleSpec configuredSchedule() {
        ScheduleSpec s = new ScheduleSpec();
        s.setName("configured (application.yaml)");
        s.setBaseId(settings.getAirtable().getBaseId());
        s.setCron(settings.getSchedule().getCron());
        s.setTimeZone(ZoneId.systemDefault().getId());
        s.setTables(settings.getTables());
        s.setNotify(settings.getSchedule().getNotify());
        return s;
    }

    /** The configured base and tables (integrity.airtable.base-id, integrity.tables). */
    public ScanPlan configuredPlan() {
        return new ScanPlan(settings.getAirtable().getBaseId(), settings.getTables(), null, null, null,
                settings.getSchedule().getNotify());
    }

    /** Runs one manual run to its end through route {@code integrity-run}. */
    private static final class RunThroughRoute implements Consumer<ScanPlan> {
        private final Supplier<CamelContext> camel;
        private ProducerTemplate producer;

        RunThroughRoute(Supplier<CamelContext> camel) {
            this.camel = camel;
        }

        @Override
        public void accept(ScanPlan plan) {
            ProducerTemplate template;
            synchronized (this) {
                if (producer == null) {
                    producer = camel.get().createProducerTemplate();
                }
                template = producer;
            }
            template.send("direct:integrity-run", exchange -> {
                exchange.getMessage().setHeader(RunLifecycle.TRIGGER, "manual");
                exchange.setProperty(RunExchange.PLAN, plan);
            });
        }
    }
}
