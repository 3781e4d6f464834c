package com.airtableintegrity.boot;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.airtableintegrity.IntegrityRunnerApplication;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;

/**
 * Nothing of the runner keeps a JVM alive once its context closed: after a run (split, throttle, heartbeats,
 * Firestore transactions, the manual-run worker and Tomcat all started their threads), closing the application
 * leaves no non-daemon thread that was not there before it started.
 */
class RunnerThreadsTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();

    @Test
    void noNonDaemonThreadOfTheRunnerOutlivesTheClosedContext() throws Exception {
        EMULATOR.wipe();
        Set<Thread> before = nonDaemonThreads();
        try (AirtableDouble airtable = AirtableDouble.start(TestSettings.TOKEN)) {
            airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 250, i -> fields("Name", "c" + i)));
            airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 20, i -> fields("Customer", List.of("recX"))));
            ConfigurableApplicationContext app = new SpringApplicationBuilder(IntegrityRunnerApplication.class).run(
                    "--integrity.airtable.token=" + TestSettings.TOKEN, "--integrity.airtable.base-id=" + TestSettings.BASE,
                    "--integrity.airtable.api-url=" + airtable.baseUrl(),
                    "--integrity.firestore.project-id=" + EMULATOR.projectId(),
                    "--integrity.firestore.emulator-host=" + EMULATOR.hostPort(),
                    "--integrity.schedule.cron=" + TestSettings.NEVER, "--integrity.sweep.cron=0/1 * * * * ?",
                    "--integrity.run.runner-id=threads-test", "--camel.main.run-controller=false", "--server.port=0",
                    "--spring.jmx.enabled=false");
            try (ProducerTemplate template = app.getBean(CamelContext.class).createProducerTemplate()) {
                template.sendBodyAndHeader("direct:integrity-run", null, "integrityTrigger", "manual");
            }
            app.close();
        }

        await().pollInSameThread().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                nonDaemonThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList())
                .as("non-daemon threads left by the runner").isEmpty());
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }
}
