package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * After {@code integrity.security.login-failures-per-minute} failed logins or rejected API keys, an address is
 * refused with 429 for the rest of that minute, even with the right password (its own context: it locks out the
 * test's address).
 */
class FailedLoginLimitTest extends BootApiTest {

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
        r.add("integrity.security.login-failures-per-minute", () -> "2");
    }

    @Test
    void theThirdAttemptAfterTwoFailuresIs429EvenWithTheRightPasswordOrKey() throws Exception {
        ConsoleSession browser = new ConsoleSession(Integer.parseInt(
                environment.getRequiredProperty("local.server.port")));
        browser.login(TestCredentials.OPERATOR, "wrong-1");
        assertThat(api.get("/api/runs", "Authorization", "Bearer wrong-2").status()).isEqualTo(401);

        HttpResponse<String> login = browser.login(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);
        ApiClient.Answer key = api.get("/api/runs", "Authorization", "Bearer " + TestCredentials.OPERATOR_KEY);

        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(login.body()).startsWith("{\"status\":429,\"error\":\"Too Many Requests\",\"message\":\"Too many "
                + "failed logins or API keys from this address; try again in ");
        assertThat(Integer.parseInt(login.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        assertThat(key.status()).isEqualTo(429);
    }
}
