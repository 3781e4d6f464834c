package com.airtableintegrity.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import com.airtableintegrity.IntegrityRunnerApplication;
import com.airtableintegrity.config.InvalidConfigurationException;
import com.airtableintegrity.config.InvalidConfigurationFailureAnalyzer;

/** What a new user meets when the demo cannot start, and that nothing of the demo runs without its profile. */
class DemoSetupTest {
    private static final String INSTALL = "gcloud components install cloud-firestore-emulator";

    @Test
    void aMissingEmulatorStopsTheDemoWithOneLineNamingTheInstallCommand() {
        Throwable failure = catchStart("--FIRESTORE_EMULATOR_BIN=/nowhere/cloud_firestore_emulator");
        assertThat(failure).isInstanceOf(DemoSetupException.class);
        assertThat(failure.getMessage()).doesNotContain("\n").contains("FIRESTORE_EMULATOR_BIN", INSTALL);
        FailureAnalysis analysis = new DemoSetupFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo(failure.getMessage());
    }

    @Test
    void anUnknownFaultStopsTheDemoBeforeAnyProcessStarts() {
        Throwable failure = catchStart("--integrity.demo.fault=hang:Invoices");
        assertThat(failure).isInstanceOf(DemoSetupException.class).hasMessage("DEMO_FAULT 'hang:Invoices' is not "
                + "one of: none, hang:<table>, drip:<table>, 503:<table>, with <table> one of [Customers, Orders, "
                + "Products]");
    }

    @Test
    void withoutTheDemoProfileTheListenerStartsNothing() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("integrity.airtable.token", "x", "FIRESTORE_EMULATOR_BIN", "/nowhere")));
        new DemoProfileListener().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
                new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment));
        assertThat(environment.getPropertySources().contains(DemoProfileListener.PROPERTY_SOURCE)).isFalse();
        assertThat(environment.getProperty("integrity.airtable.api-url")).isNull();
    }

    @Test
    void theFaultSwitchReadsItsSyntax() {
        DemoFaults faults = new DemoFaults(List.of("Orders"));
        assertThat(faults.parse("hang:Orders")).hasToString("hang:Orders");
        assertThat(faults.parse(" drip:Orders ").mode()).isEqualTo(DemoFaults.Mode.DRIP);
        assertThat(faults.parse("503:Orders").mode()).isEqualTo(DemoFaults.Mode.UNAVAILABLE);
        assertThat(faults.parse("none").mode()).isEqualTo(DemoFaults.Mode.NONE);
        assertThat(faults.parse("").mode()).isEqualTo(DemoFaults.Mode.NONE);
        assertThatThrownBy(() -> faults.parse("slow:Orders")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults.parse("hang")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFirstStartWithoutSettingsPointsToTheDemoProfile() {
        FailureAnalysis missing = analyze("integrity.airtable.token (env AIRTABLE_TOKEN) is required (the value is "
                + "secret and never printed)");
        assertThat(missing.getAction()).endsWith("\nNew here? See it work first, without an Airtable account or a "
                + "Google Cloud project: ./mvnw spring-boot:run -Dspring-boot.run.profiles=demo (or java -jar <jar> "
                + "--spring.profiles.active=demo).");
        FailureAnalysis badCron = analyze("integrity.schedule.cron (env INTEGRITY_SCHEDULE_CRON) 'x' is not valid");
        assertThat(badCron.getAction()).doesNotContain("demo");
    }

    private static FailureAnalysis analyze(String problem) {
        return new InvalidConfigurationFailureAnalyzer().analyze(new InvalidConfigurationException(List.of(problem)));
    }

    private static Throwable catchStart(String setting) {
        try {
            new SpringApplicationBuilder(IntegrityRunnerApplication.class).profiles("demo")
                    .run("--server.port=0", "--integrity.firestore.emulator-host=", "--camel.main.run-controller=false",
                            setting).close();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
