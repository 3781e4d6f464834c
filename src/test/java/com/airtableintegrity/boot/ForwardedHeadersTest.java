package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On Kubernetes (every pod has {@code KUBERNETES_SERVICE_HOST}, so Spring Boot detects the platform) forwarded headers
 * are not trusted unless configured: Spring Boot would otherwise enable Tomcat's RemoteIpValve trusting every private
 * address, and a caller rotating {@code X-Forwarded-For} would escape the failed-key limit and log under forged
 * addresses.
 */
class ForwardedHeadersTest extends BootApiTest {

    @DynamicPropertySource
    static void kubernetes(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
        r.add("integrity.security.login-failures-per-minute", () -> "2");
        r.add("spring.main.cloud-platform", () -> "kubernetes");
    }

    @Test
    void aForgedForwardedForDoesNotEscapeTheFailedKeyLimit() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            statuses.add(api.get("/api/runs", "Authorization", "Bearer wrong-" + i,
                    "X-Forwarded-For", "203.0.113." + i).status());
        }

        assertThat(statuses).containsExactly(401, 401, 429);
    }

    @Test
    void aForgedForwardedHostDoesNotChangeARedirect() throws Exception {
        String answer = api.raw("GET / HTTP/1.1\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: https\r\n"
                + "Connection: close", java.time.Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 302 ").doesNotContain("evil.example");
    }
}
