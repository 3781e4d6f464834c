package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Who may do what with users and API keys configured: viewers read, operators also act; the API takes bearer keys,
 * the console a login form with CSRF tokens; liveness and readiness stay open; refusals are JSON.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest extends BootApiTest {
    ConsoleSession browser;
    @Autowired
    WebServerApplicationContext context;

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @BeforeEach
    void browser() {
        browser = new ConsoleSession(Integer.parseInt(environment.getRequiredProperty("local.server.port")));
    }

    @Test
    void withCredentialsTheServerListensWhereServerAddressSaysAllInterfacesByDefault() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProperty("address")).isNull();
    }

    @Test
    void theApiWithoutAKeyIs401InJsonAskingForABearerKey() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs");

        assertThat(answer.line()).isEqualTo("401 {\"status\":401,\"error\":\"Unauthorized\",\"message\":"
                + "\"Authentication required: send Authorization: Bearer <api key>\",\"path\":\"/api/runs\"}");
        assertThat(answer.header("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void anUnknownKeyIs401AndIsLoggedWithoutTheKey(CapturedOutput output) throws Exception {
        ApiClient.Answer answer = api.get("/api/runs", "Authorization", "Bearer not-a-key-xyzzy");

        assertThat(answer.line()).isEqualTo("401 {\"status\":401,\"error\":\"Unauthorized\",\"message\":"
                + "\"The API key is not valid\",\"path\":\"/api/runs\"}");
        assertThat(output.getAll()).contains("Rejected an unknown API key from 127.0.0.1 for GET /api/runs")
                .doesNotContain("not-a-key-xyzzy");
    }

    @Test
    void aViewerKeyReadsRuns() throws Exception {
        ApiClient.Answer answer = api.get("/api/runs", "Authorization", "Bearer " + TestCredentials.VIEWER_KEY);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("{\"runs\":");
    }

    @Test
    void aViewerKeyMayNotStartARun() throws Exception {
        ApiClient.Answer answer = api.send(api.request("/api/runs").header("Authorization", "Bearer "
                + TestCredentials.VIEWER_KEY).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());

        assertThat(answer.line()).isEqualTo("403 {\"status\":403,\"error\":\"Forbidden\",\"message\":"
                + "\"Forbidden: this needs the operator role\",\"path\":\"/api/runs\"}");
    }

    @Test
    void anOperatorKeyReachesTheOperatorVerbs() throws Exception {
        ApiClient.Answer answer = api.send(api.request("/api/runs/no-such-run/cancel").header("Authorization",
                "Bearer " + TestCredentials.OPERATOR_KEY).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());

        assertThat(answer.line()).isEqualTo("404 {\"status\":404,\"error\":\"Not Found\",\"message\":"
                + "\"No run with id 'no-such-run'\",\"path\":\"/api/runs/no-such-run/cancel\"}");
    }

    @Test
    void livenessAndReadinessAreOpenToOrchestrators() throws Exception {
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void everyOtherActuatorEndpointNeedsAnOperator() throws Exception {
        assertThat(api.get("/actuator/health").status()).isEqualTo(401);
        assertThat(api.get("/actuator/health", "Authorization", "Bearer " + TestCredentials.VIEWER_KEY).status())
                .isEqualTo(403);
        assertThat(api.get("/actuator/health", "Authorization", "Bearer " + TestCredentials.OPERATOR_KEY).status())
                .isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", "Authorization", "Bearer " + TestCredentials.VIEWER_KEY).status())
                .isEqualTo(403);
        assertThat(api.get("/actuator/prometheus", "Authorization", "Bearer " + TestCredentials.OPERATOR_KEY).body())
                .contains("integrity_runs_total{");
    }

    @Test
    void theConsoleSendsAnonymousVisitorsToTheLoginForm() throws Exception {
        HttpResponse<String> answer = browser.get("/");

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void aRedirectIsRelativeSoAForgedHostCannotPointItElsewhere() throws Exception {
        String answer = api.raw("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close", Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 302 ").containsIgnoringCase("\r\nLocation: /login\r\n")
                .doesNotContain("evil.example");
    }

    @Test
    void aUserSignsInWithTheRightPassword() throws Exception {
        HttpResponse<String> answer = browser.login(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).doesNotContain("login");
        assertThat(browser.get("/").statusCode()).isNotEqualTo(302);
    }

    @Test
    void aFailedLoginIsLoggedWithTheUserButNotThePassword(CapturedOutput output) throws Exception {
        HttpResponse<String> answer = browser.login(TestCredentials.VIEWER, "wrong-password-42");

        assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(output.getAll()).contains("Failed login for user 'vera' from 127.0.0.1")
                .doesNotContain("wrong-password-42");
    }

    @Test
    void aLoginFormWithoutItsCsrfTokenIs403() throws Exception {
        HttpResponse<String> answer = browser.postForm("/login", null,
                Map.of("username", TestCredentials.OPERATOR, "password", TestCredentials.OPERATOR_PASSWORD));

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).isEqualTo("{\"status\":403,\"error\":\"Forbidden\",\"message\":\"Missing or invalid "
                + "CSRF token: reload the page and submit the form again\",\"path\":\"/login\"}");
    }

    @Test
    void aSignedInOperatorsFormWithoutItsCsrfTokenIs403() throws Exception {
        browser.login(TestCredentials.OPERATOR, TestCredentials.OPERATOR_PASSWORD);

        HttpResponse<String> answer = browser.postForm("/runs/r1/cancel", null, Map.of());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("Missing or invalid CSRF token");
    }

    @Test
    void aSignedInViewerMayNotPostAnOperatorForm() throws Exception {
        browser.login(TestCredentials.VIEWER, TestCredentials.VIEWER_PASSWORD);

        HttpResponse<String> answer = browser.postForm("/runs/r1/cancel", "/login", Map.of());

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body()).contains("Forbidden: this needs the operator role");
    }

    @Test
    void theConsoleCarriesSecurityHeaders() throws Exception {
        HttpResponse<String> answer = browser.get("/login");

        assertThat(answer.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'", "default-src 'self'", "script-src 'self'");
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(answer.headers().firstValue("X-Frame-Options")).contains("DENY");
    }
}
