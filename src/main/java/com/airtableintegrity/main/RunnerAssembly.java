package com.airtableintegrity.main;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.airtable.AirtableRequestGuard;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.jmx.IntegrityRunnerControl;
import com.airtableintegrity.notify.Notifier;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.run.RunnerShutdown;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.run.ScheduleSync;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.wiring.RunnerFactory;
import com.google.cloud.firestore.Firestore;

/**
 * The runner on a CamelContext without a dependency-injection container (Camel Main, which {@code camel run} uses,
 * and the tests' plain contexts): the same objects as in Spring Boot, made by the same {@link RunnerFactory}, bound
 * into Camel's registry under the names the routes use, and closed when the context has stopped.
 */
public final class RunnerAssembly {
    private final Firestore firestore;
    private final RunTransactions runs;
    private final RunReads reads;
    private final HungRunQueries hungRuns;
    private final RunRegistry registry;
    private final RunLifecycle lifecycle;
    private final IntegrityRunnerControl control;
    private final ScheduleRoutes scheduleRoutes;

    private RunnerAssembly(Firestore firestore, RunTransactions runs, RunReads reads, HungRunQueries hungRuns,
                           RunRegistry registry, RunLifecycle lifecycle, IntegrityRunnerControl control,
                           ScheduleRoutes scheduleRoutes) {
        this.firestore = firestore;
        this.runs = runs;
        this.reads = reads;
        this.hungRuns = hungRuns;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.control = control;
        this.scheduleRoutes = scheduleRoutes;
    }

    /** Builds the runner for these settings into {@code camel} (before it starts). */
    public static RunnerAssembly wire(CamelContext camel, IntegrityProperties settings) {
        RunnerFactory f = new RunnerFactory(settings);
        Firestore firestore = f.firestore();
        RunnerExecutors executors = f.runnerExecutors();
        RunCollection collection = f.runCollection(firestore);
        RunTransactions runs = f.runTransactions(collection);
        RunReads reads = f.runReads(collection);
        HungRunQueries hungRuns = f.hungRunQueries(collection);
        RunRegistry registry = f.runRegistry();
        RunnerShutdown shutdown = f.runnerShutdown(registry);
        RunLifecycle lifecycle = f.runLifecycle(collection, runs, f.issueWriter(collection), registry,
                f.runHeartbeats(runs, executors), shutdown);
        AirtableRequestGuard guard = f.airtableRequestGuard();
        ManualRuns manualRuns = f.manualRuns(registry, () -> camel);
        ScheduleDocuments scheduleDocuments = f.scheduleDocuments(collection);
        ScheduleCatalog schedules = f.scheduleCatalog(scheduleDocuments, manualRuns);
        IntegrityRunnerControl control = f.integrityRunnerControl(lifecycle, registry, manualRuns, schedules);

        Registry beans = camel.getRegistry();
        beans.bind("runLifecycle", lifecycle);
        beans.bind("runFailures", f.runFailures());
        beans.bind("tableResultAggregation", f.tableResultAggregation());
        beans.bind("airtableRequestGuard", guard);
        beans.bind("airtableRequests", f.airtableRequests(guard));
        beans.bind("airtableResponses", f.airtableResponses(guard));
        beans.bind("schemaReads", f.schemaReads(guard));
        beans.bind("airtableRetries", f.airtableRetries(guard));
        HungRunSweeper sweeper = f.hungRunSweeper(hungRuns, camel);
        beans.bind("hungRunSweeper", sweeper);
        f.runningRunGauges(registry, sweeper, hungRuns);
        beans.bind("startupRecovery", f.startupRecovery(hungRuns, runs, registry));
        beans.bind("runsApi", f.runsApi(reads, runs, manualRuns));
        beans.bind("schedulesApi", f.schedulesApi(schedules));
        beans.bind("apiRouteErrors", f.apiRouteErrors());
        beans.bind("apiAnswerHeaders", f.apiAnswerHeaders());
        ScheduleRoutes scheduleRoutes = f.scheduleRoutes(() -> camel);
        beans.bind("scheduleRoutes", scheduleRoutes);
        ScheduleSync scheduleSync = f.scheduleSync(scheduleDocuments, scheduleRoutes, executors);
        beans.bind("scheduleSync", scheduleSync);
        Notifier notifier = f.notifier(collection);
        beans.bind(Notifier.DELIVERY_BEAN, notifier.delivery());
        beans.bind(Notifier.GUARD_BEAN, notifier.guard());
        notifier.bindMailSessions(beans);
        f.prepare(camel, control, shutdown);
        camel.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                try {
                    scheduleSync.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(RunnerAssembly.class).warn("Closing the schedule listener failed: {}",
                            e.toString());
                }
                manualRuns.close();
                guard.close();
                notifier.close();
                executors.close();
                try {
                    firestore.close();
                } catch (Exception e) {
                    LoggerFactory.getLogger(RunnerAssembly.class).warn("Closing the Firestore client failed: {}",
                            e.toString());
                }
            }
        });
        RunnerAssembly assembly = new RunnerAssembly(firestore, runs, reads, hungRuns, registry, lifecycle, control,
                scheduleRoutes);
        beans.bind("integrityRunner", assembly);
        return assembly;
    }

    public Firestore firestore() { return firestore; }
    public RunTransactions runs() { return runs; }
    public RunReads reads() { return reads; }
    public HungRunQueries hungRuns() { return hungRuns; }
    public RunRegistry registry() { return registry; }
    public RunLifecycle lifecycle() { return lifecycle; }
    public IntegrityRunnerControl control() { return control; }
    public ScheduleRoutes scheduleRoutes() { return scheduleRoutes; }
}
