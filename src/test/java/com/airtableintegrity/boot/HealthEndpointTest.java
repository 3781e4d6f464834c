package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;


/** Anonymous callers see only the health status; the liveness and readiness probes answer once the app is up. */
class HealthEndpointTest extends BootApiTest {

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
