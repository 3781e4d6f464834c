package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The answers written before or beside Spring Security's header writer (the firewall's 400, Tomcat's own 400 for a
 * header over its limit, a 404 under the console) carry the same security headers as every other answer.
 */
class ErrorAnswerHeadersTest extends BootApiTest {
    private static final Duration READ = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry r) {
        TestCredentials.register(r);
    }

    @Test
    void theFirewallsRefusalCarriesTheSecurityHeaders() throws Exception {
        String answer = api.raw("GET /api/runs;jsessionid=x HTTP/1.1\r\nConnection: close", READ);

        assertThat(statusLine(answer)).isEqualTo("HTTP/1.1 400 ");
        assertSecurityHeaders(answer);
    }

    @Test
    void tomcatsRefusalOfAHeaderOverItsLimitCarriesTheSecurityHeaders() throws Exception {
        String answer = api.raw("GET /api/runs HTTP/1.1\r\nX-Big: " + "a".repeat(9 * 1024)
                + "\r\nConnection: close", READ);

        assertThat(statusLine(answer)).isEqualTo("HTTP/1.1 400 ");
        assertSecurityHeaders(answer);
    }

    @Test
    void aMissingPageUnderTheConsoleCarriesTheSecurityHeaders() throws Exception {
        String answer = api.raw("GET /console/no-such-page.css HTTP/1.1\r\nConnection: close", READ);

        assertThat(statusLine(answer)).isEqualTo("HTTP/1.1 404 ");
        assertSecurityHeaders(answer);
        assertThat(answer).as("the request id survives the error page").containsPattern("\r\nX-Request-Id: [0-9a-f-]{36}\r\n");
    }

    private static String statusLine(String answer) {
        return answer.substring(0, answer.indexOf("\r\n"));
    }

    private static void assertSecurityHeaders(String answer) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
        assertThat(head).as(answer)
                .contains("\r\nx-content-type-options: nosniff\r\n", "\r\nx-frame-options: deny\r\n",
                        "\r\nreferrer-policy: same-origin\r\n", "\r\ncache-control: no-cache, no-store, max-age=0, must-revalidate\r\n",
                        "\r\ncontent-security-policy: default-src 'self';");
        assertThat(head.split("x-content-type-options:", -1)).as("nosniff once: " + answer).hasSize(2);
    }
}
