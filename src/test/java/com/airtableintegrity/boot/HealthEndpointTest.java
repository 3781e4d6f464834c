package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.TestSettings;

/** Anonymous callers see only the health status; the liveness and readiness probes answer once the app is up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HealthEndpointTest {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);

    @Autowired
    Environment environment;
    ApiClient api;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        BootTestSettings.register(r, AIRTABLE, EMULATOR, "health-test-runner");
    }

    @AfterAll
    static void stopDouble() {
        AIRTABLE.close();
    }

    @BeforeEach
    void client() {
        api = new ApiClient(environment);
    }

    @Test
    void anonymousHealthShowsOnlyTheStatus() throws Exception {
        ApiClient.Answer answer = api.get("/actuator/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"UP\"").doesNotContain("components").doesNotContain("details")
                .doesNotContain("diskSpace").doesNotContain("path").doesNotContain("camel");
    }

    @Test
    void theLivenessProbeAnswersUp() throws Exception {
        assertThat(api.get("/actuator/health/liveness").line()).isEqualTo("200 {\"status\":\"UP\"}");
    }

    @Test
    void theReadinessProbeAnswersUp() throws Exception {
        assertThat(api.get("/actuator/health/readiness").line()).isEqualTo("200 {\"status\":\"UP\"}");
    }
}
