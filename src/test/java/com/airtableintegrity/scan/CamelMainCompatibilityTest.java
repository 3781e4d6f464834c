package com.airtableintegrity.scan;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.main.IntegrityMainConfiguration;
import com.airtableintegrity.main.RunnerAssembly;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.store.RunReads;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;

/** The same route files on plain Camel Main (what `camel run` is), configured by flat properties. */
class CamelMainCompatibilityTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private AirtableDouble airtable;
    private Main main;

    @BeforeEach
    void start() throws Exception {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        airtable.addTable(TestSettings.BASE, "Contacts", Records.of('K', 130, i -> fields("Email", i == 3 ? null : "a" + i + "@x.io")));
        main = new Main();
        main.configure().withName("airtable-integrity-runner")
                .withRoutesIncludePattern("classpath:routes/**/*.camel.yaml")
                .withRoutesExcludePattern("**/rest/*") // the REST API needs an HTTP server
                .addConfiguration(IntegrityMainConfiguration.class);
        Map.of("integrity.airtable.token", TestSettings.TOKEN,
                "integrity.airtable.base-id", TestSettings.BASE,
                "integrity.airtable.api-url", airtable.baseUrl(),
                "integrity.firestore.project-id", EMULATOR.projectId(),
                "integrity.firestore.emulator-host", EMULATOR.hostPort(),
                "integrity.schedule.cron", TestSettings.NEVER,
                "integrity.tables[0].name", "Contacts",
                "integrity.tables[0].rules[0].type", "required",
                "integrity.tables[0].rules[0].field", "Email")
                .forEach(main::addInitialProperty);
        // the route placeholders that application.yaml gives Spring Boot come from the same defaults here
        main.addInitialProperty("integrity.sweep.cron", TestSettings.NEVER);
        main.addInitialProperty("integrity.run.max-duration-seconds", "60");
        main.addInitialProperty("integrity.airtable.requests-per-second", "5");
        main.addInitialProperty("integrity.airtable.token-requests-per-second", "50");
        main.addInitialProperty("integrity.airtable.throttle-period-millis", "1050");
        main.addInitialProperty("integrity.airtable.connect-timeout-seconds", "10");
        main.addInitialProperty("integrity.airtable.request-timeout-seconds", "30");
        main.addInitialProperty("integrity.notify.cron", TestSettings.NEVER);
        main.addInitialProperty("integrity.notify.connect-timeout-seconds", "5");
        main.addInitialProperty("integrity.notify.read-timeout-seconds", "10");
        main.start();
    }

    @AfterEach
    void stop() {
        main.stop();
        airtable.close();
    }

    @Test
    void theRoutesBootOnCamelMainAndRunAScan() {
        assertThat(main.getCamelContext().getRoutes()).extracting(r -> r.getRouteId())
                .containsExactlyInAnyOrder("integrity-schedule", "integrity-run", "integrity-scan-table",
                        "integrity-sweep", "integrity-startup-recovery", "integrity-schedule-sync",
                        "integrity-schedule-settle", "integrity-notify-deliver", "integrity-notify-webhook",
                        "integrity-notify-slack", "integrity-notify-email", "integrity-airtable-call",
                        "integrity-schema-read");
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        Exchange done = template.request("direct:integrity-run", e -> { });
        String runId = done.getProperty(RunExchange.RUN, RunContext.class).runId();

        RunReads store = main.getCamelContext().getRegistry().lookupByNameAndType("integrityRunner",
                RunnerAssembly.class).reads();
        Map<String, Object> doc = store.read(runId);
        assertThat(doc.get("status")).isEqualTo("warning");
        assertThat(doc.get("records_scanned")).isEqualTo(130L);
        assertThat(doc.get("issues_found")).isEqualTo(1L);
    }
}
