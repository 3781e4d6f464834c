package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * After {@code integrity.security.login-failures-per-minute} failed logins of one user from one address, that user is
 * refused there with 429 for the rest of the minute, even with the right password; nobody else is. Wrong API keys are
 * answered 429 past the limit, and a valid key is never refused. Each test uses its own user names.
 */
class FailedLoginLimitTest extends BootApiTest {
    private static final String LOGIN_429 = "{\"status\":429,\"error\":\"Too Many Requests\",\"message\":\"Too many "
            + "failed logins for this user from this address; try again in ";

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
        r.add("integrity.security.login-failures-per-minute", () -> "2");
    }

    private ConsoleSession browser() {
        return new ConsoleSession(Integer.parseInt(environment.getRequiredProperty("local.server.port")));
    }

    @Test
    void theThirdLoginOfAUserAfterTwoFailuresIs429EvenWithTheRightPassword() throws Exception {
        ConsoleSession browser = browser();
        browser.login(TestCredentials.OPERATOR, "wrong-1");
        browser.login(TestCredentials.OPERATOR, "wrong-2");

        HttpResponse<String> login = browser.login(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);

        assertThat(login.statusCode()).isEqualTo(429);
        assertThat(login.body()).startsWith(LOGIN_429);
        assertThat(Integer.parseInt(login.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
    }

    @Test
    void anotherUserSignsInFromTheSameAddressWhileOneIsLockedOut() throws Exception {
        ConsoleSession browser = browser();
        browser.login("someone-else", "wrong-1");
        browser.login("someone-else", "wrong-2");
        assertThat(browser.login("someone-else", "wrong-3").statusCode()).isEqualTo(429);

        HttpResponse<String> login = browser().login(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
    }

    @Test
    void wrongApiKeysPastTheLimitAre429AndAValidKeyIsStillAccepted() throws Exception {
        assertThat(api.get("/api/runs", "Authorization", "Bearer wrong-1").status()).isEqualTo(401);
        assertThat(api.get("/api/runs", "Authorization", "Bearer wrong-2").status()).isEqualTo(401);
        ApiClient.Answer third = api.get("/api/runs", "Authorization", "Bearer wrong-3");

        ApiClient.Answer valid = api.get("/api/runs", "Authorization", "Bearer " + TestCredentials.VIEWER_KEY);

        assertThat(third.status()).isEqualTo(429);
        assertThat(third.body()).startsWith("{\"status\":429,\"error\":\"Too Many Requests\",\"message\":\"Too many "
                + "rejected API keys from this address; try again in ");
        assertThat(valid.status()).isEqualTo(200);
    }

    @Test
    void twentyParallelWrongPasswordsAreCountedBeforeTheyAreCheckedSoOnlyTwoAreEvaluated() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(20);
        try {
            List<Future<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                logins.add(clients.submit(() -> browser().login("parallel-guesser", "guess-" + n)));
            }
            for (Future<HttpResponse<String>> login : logins) {
                answers.add(login.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(answers).filteredOn(a -> a.statusCode() == 302).hasSize(2)
                .allSatisfy(a -> assertThat(a.headers().firstValue("Location").orElseThrow()).endsWith("/login?error"));
        assertThat(answers).filteredOn(a -> a.statusCode() == 429).hasSize(18)
                .allSatisfy(a -> assertThat(a.body()).startsWith(LOGIN_429));
    }
}
