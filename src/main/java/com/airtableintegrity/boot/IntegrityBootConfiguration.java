package com.airtableintegrity.boot;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.airtableintegrity.airtable.AirtableRequestGuard;
import com.airtableintegrity.airtable.AirtableRequests;
import com.airtableintegrity.airtable.AirtableResponses;
import com.airtableintegrity.airtable.AirtableRetries;
import com.airtableintegrity.airtable.SchemaReads;
import com.airtableintegrity.api.ApiAnswerHeaders;
import com.airtableintegrity.api.RouteErrors;
import com.airtableintegrity.api.RunsApi;
import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.jmx.IntegrityRunnerControl;
import com.airtableintegrity.notify.NoticeDelivery;
import com.airtableintegrity.notify.Notifier;
import com.airtableintegrity.notify.ReceiverGuard;
import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunFailures;
import com.airtableintegrity.run.RunHeartbeats;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.run.RunnerShutdown;
import com.airtableintegrity.run.RunningRunGauges;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.run.ScheduleRoutes;
import com.airtableintegrity.run.ScheduleSync;
import com.airtableintegrity.run.StartupRecovery;
import com.airtableintegrity.run.TableResultAggregation;
import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.IssueWriter;
import com.airtableintegrity.store.RunCollection;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.store.RunTransactions;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.wiring.RunnerFactory;
import com.google.cloud.firestore.Firestore;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Spring Boot wiring: every object of the runner is a bean, made by {@link RunnerFactory}, and the beans the routes
 * name ({@code ref: runLifecycle}, {@code #airtableRequestGuard}...) carry those names. Spring closes them after
 * Camel has stopped: executors, the request guard, manual runs and the Firestore client.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntegrityProperties.class)
public class IntegrityBootConfiguration {

    /** The runner's meters go to Spring Boot's registry (/actuator/prometheus). */
    @Bean
    RunnerFactory runnerFactory(IntegrityProperties settings, MeterRegistry meters) {
        return new RunnerFactory(settings, meters);
    }

    @Bean(destroyMethod = "close")
    Firestore firestore(RunnerFactory f) { return f.firestore(); }

    /** Closed after Camel has stopped (the live runs' final writes use the transaction threads until then). */
    @Bean(destroyMethod = "close")
    RunnerExecutors runnerExecutors(RunnerFactory f) { return f.runnerExecutors(); }

    @Bean
    RunCollection runCollection(RunnerFactory f, Firestore firestore) {
        return f.runCollection(firestore);
    }

    @Bean
    RunTransactions runTransactions(RunnerFactory f, RunCollection c) { return f.runTransactions(c); }

    @Bean
    RunReads runReads(RunnerFactory f, RunCollection c) { return f.runReads(c); }

    @Bean
    HungRunQueries hungRunQueries(RunnerFactory f, RunCollection c) { return f.hungRunQueries(c); }

    @Bean
    IssueWriter issueWriter(RunnerFactory f, RunCollection c) { return f.issueWriter(c); }

    @Bean
    RunRegistry runRegistry(RunnerFactory f) { return f.runRegistry(); }

    @Bean
    RunnerShutdown runnerShutdown(RunnerFactory f, RunRegistry registry) { return f.runnerShutdown(registry); }

    @Bean
    RunHeartbeats runHeartbeats(RunnerFactory f, RunTransactions runs, RunnerExecutors executors) {
        return f.runHeartbeats(runs, executors);
    }

    @Bean
    RunLifecycle runLifecycle(RunnerFactory f, RunCollection collection, RunTransactions runs, IssueWriter issues,
                              RunRegistry registry, RunHeartbeats heartbeats, RunnerShutdown shutdown) {
        return f.runLifecycle(collection, runs, issues, registry, heartbeats, shutdown);
    }

    @Bean
    RunFailures runFailures(RunnerFactory f) { return f.runFailures(); }

    @Bean
    TableResultAggregation tableResultAggregation(RunnerFactory f) { return f.tableResultAggregation(); }

    @Bean(destroyMethod = "close")
    AirtableRequestGuard airtableRequestGuard(RunnerFactory f) { return f.airtableRequestGuard(); }

    @Bean
    AirtableRequests airtableRequests(RunnerFactory f, AirtableRequestGuard g) { return f.airtableRequests(g); }

    @Bean
    AirtableResponses airtableResponses(RunnerFactory f, AirtableRequestGuard g) { return f.airtableResponses(g); }

    @Bean
    AirtableRetries airtableRetries(RunnerFactory f, AirtableRequestGuard g) { return f.airtableRetries(g); }

    @Bean
    SchemaReads schemaReads(RunnerFactory f, AirtableRequestGuard g) { return f.schemaReads(g); }

    @Bean
    HungRunSweeper hungRunSweeper(RunnerFactory f, HungRunQueries hungRuns, CamelContext camel) {
        return f.hungRunSweeper(hungRuns, camel);
    }

    @Bean
    RunningRunGauges runningRunGauges(RunnerFactory f, RunRegistry registry, HungRunSweeper sweeper,
                                      HungRunQueries hungRuns) {
        return f.runningRunGauges(registry, sweeper, hungRuns);
    }

    @Bean
    StartupRecovery startupRecovery(RunnerFactory f, HungRunQueries hungRuns, RunTransactions runs,
                                    RunRegistry registry) {
        return f.startupRecovery(hungRuns, runs, registry);
    }

    /** The context is looked up lazily: the control service (which uses this) is wired into the context itself. */
    @Bean(destroyMethod = "close")
    ManualRuns manualRuns(RunnerFactory f, RunRegistry registry, ObjectProvider<CamelContext> camel) {
        return f.manualRuns(registry, camel::getObject);
    }

    @Bean
    ScheduleDocuments scheduleDocuments(RunnerFactory f, RunCollection c) { return f.scheduleDocuments(c); }

    @Bean(destroyMethod = "close")
    ScheduleSync scheduleSync(RunnerFactory f, ScheduleDocuments documents, ScheduleRoutes routes,
                              RunnerExecutors executors) {
        return f.scheduleSync(documents, routes, executors);
    }

    @Bean
    ScheduleRoutes scheduleRoutes(RunnerFactory f, ObjectProvider<CamelContext> camel) {
        return f.scheduleRoutes(camel::getObject);
    }

    @Bean
    ScheduleCatalog scheduleCatalog(RunnerFactory f, ScheduleDocuments documents, ManualRuns manualRuns) {
        return f.scheduleCatalog(documents, manualRuns);
    }

    @Bean
    IntegrityRunnerControl integrityRunnerControl(RunnerFactory f, RunLifecycle lifecycle, RunRegistry registry,
                                                  ManualRuns manualRuns, ScheduleCatalog schedules) {
        return f.integrityRunnerControl(lifecycle, registry, manualRuns, schedules);
    }

    @Bean
    SchedulesApi schedulesApi(RunnerFactory f, ScheduleCatalog schedules) { return f.schedulesApi(schedules); }

    @Bean
    RunsApi runsApi(RunnerFactory f, RunReads reads, RunTransactions runs, ManualRuns manualRuns) {
        return f.runsApi(reads, runs, manualRuns);
    }

    @Bean
    RouteErrors apiRouteErrors(RunnerFactory f) { return f.apiRouteErrors(); }

    @Bean
    ApiAnswerHeaders apiAnswerHeaders(RunnerFactory f) { return f.apiAnswerHeaders(); }

    /** Notifications: the outbox's delivery steps, the receivers' bounds and the email channels' sessions. */
    @Bean(destroyMethod = "close")
    Notifier notifier(RunnerFactory f, RunCollection c) { return f.notifier(c); }

    @Bean
    NoticeDelivery noticeDelivery(Notifier n) { return n.delivery(); }

    @Bean(destroyMethod = "")
    ReceiverGuard notifyReceiverGuard(Notifier n) { return n.guard(); }

    /** Health {@code firestore}, in the readiness group (application.yaml). */
    @Bean
    FirestoreHealthIndicator firestoreHealthIndicator(RunReads reads) {
        return new FirestoreHealthIndicator(reads);
    }

    /** The packaged runner's signal handling learns the shutdown timeout (absent in tests: no signals there). */
    @Bean
    InitializingBean integrityShutdownTimeout(IntegrityProperties props, ObjectProvider<ShutdownSignals> signals) {
        return () -> signals.ifAvailable(s -> s.timeout(Duration.ofSeconds(props.getShutdown().getTimeoutSeconds())));
    }

    @Bean
    CamelContextConfiguration integrityCamelContext(RunnerFactory f, IntegrityRunnerControl control,
                                                    RunnerShutdown shutdown, Notifier notifier) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                notifier.bindMailSessions(camel.getRegistry());
                f.prepare(camel, control, shutdown);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }
}
