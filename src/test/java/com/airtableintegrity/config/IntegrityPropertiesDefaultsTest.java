package com.airtableintegrity.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The defaults have one home, the packaged application.yaml; runtimes without Spring Boot start from the same. */
class IntegrityPropertiesDefaultsTest {

    @Test
    void theDefaultsAreThoseOfThePackagedApplicationYaml() {
        IntegrityProperties p = IntegrityProperties.defaults();

        assertThat(p.getAirtable().getApiUrl()).isEqualTo("https://api.airtable.com");
        assertThat(p.getAirtable().getRequestTimeoutSeconds()).isEqualTo(300);
        assertThat(p.getAirtable().getThrottlePeriodMillis()).isEqualTo(1050);
        assertThat(p.getAirtable().getMaxPageBytes()).isEqualTo(16 * 1024 * 1024);
        assertThat(p.getRun().getMaxDurationSeconds()).isEqualTo(1800);
        assertThat(p.getSchedule().getCron()).isEqualTo("0 0 * * * ?");
        assertThat(p.getFirestore().getCollection()).isEqualTo("integrity_runs");
        assertThat(p.getShutdown().getTimeoutSeconds()).isEqualTo(8);
        assertThat(p.getApi().getMaxBodyBytes()).isEqualTo(16384);
        assertThat(p.getTables()).extracting(TableSpec::getName).containsExactly("Customers", "Orders");
    }

    @Test
    void aSettingsObjectMadeWithoutTheFileHoldsNoDefaultOfItsOwn() {
        assertThat(new IntegrityProperties().getAirtable().getRequestTimeoutSeconds()).isZero();
    }
}
