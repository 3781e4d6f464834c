package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import com.airtableintegrity.IntegrityRunnerApplication;
import com.airtableintegrity.support.TestSettings;

/** Secure by default: with no users and no API keys the HTTP server listens on 127.0.0.1 only, and says so. */
@ExtendWith(OutputCaptureExtension.class)
class LoopbackBindingTest extends BootApiTest {
    @Autowired
    WebServerApplicationContext context;

    @Test
    void withoutCredentialsTheServerListensOnTheLoopbackAddressOnly() {
        Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();

        assertThat(connector.getProperty("address")).isEqualTo(InetAddress.getLoopbackAddress());
    }

    @Test
    void withoutCredentialsARequestNamedToAnotherHostIsRefusedAsDnsRebindingWouldSendIt() throws Exception {
        String answer = api.raw("GET /api/runs HTTP/1.1\r\nHost: rebind.attacker.example:8080\r\nConnection: close",
                Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 421 ").contains("{\"status\":421,\"error\":\"Misdirected Request\","
                + "\"message\":\"Host 'rebind.attacker.example' is not a name of this runner: it listens on a loopback "
                + "address and answers only localhost, 127.0.0.1 and [::1]\",\"path\":\"/api/runs\"}");
    }

    @Test
    void withoutCredentialsLoopbackNamesAreAnswered() throws Exception {
        for (String host : new String[] {"localhost:1", "127.0.0.1", "[::1]:8080", "LOCALHOST"}) {
            String answer = api.raw("GET /api/runs?limit=1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: close",
                    Duration.ofSeconds(10));

            assertThat(answer).as(host).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void withoutCredentialsACrossSiteFormPostIsRefused() throws Exception {
        String answer = api.raw("POST /api/runs HTTP/1.1\r\nOrigin: https://evil.example\r\nSec-Fetch-Site: "
                + "cross-site\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n"
                + "Connection: close", Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("{\"status\":403,\"error\":\"Forbidden\",\"message\":"
                + "\"A POST from another site's page is refused: this runner listens on a loopback address for its "
                + "local callers only\",\"path\":\"/api/runs\"}");
    }

    @Test
    void withoutCredentialsAWriteWithAForeignOriginAloneIsRefusedAndALoopbackOriginIsAnswered() throws Exception {
        String foreign = api.raw("POST /api/runs/no-such-run/cancel HTTP/1.1\r\nOrigin: http://rebind.example:8080"
                + "\r\nContent-Length: 0\r\nConnection: close", Duration.ofSeconds(10));
        String local = api.raw("POST /api/runs/no-such-run/cancel HTTP/1.1\r\nOrigin: http://localhost:8080"
                + "\r\nSec-Fetch-Site: same-origin\r\nContent-Length: 0\r\nConnection: close", Duration.ofSeconds(10));

        assertThat(foreign).startsWith("HTTP/1.1 403 ");
        assertThat(local).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void withoutCredentialsEveryLocalCallerMayOperate() throws Exception {
        ApiClient.Answer answer = api.post("/api/runs/no-such-run/cancel");

        assertThat(answer.status()).isEqualTo(404);
    }

    @Test
    void anExplicitNonLoopbackAddressWithoutCredentialsStopsStartupNamingTheKeys(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(IntegrityRunnerApplication.class)
                .run("--integrity.airtable.token=" + TestSettings.TOKEN, "--integrity.airtable.base-id="
                                + TestSettings.BASE, "--integrity.firestore.project-id=" + EMULATOR.projectId(),
                        "--integrity.firestore.emulator-host=" + EMULATOR.hostPort(), "--integrity.schedule.cron="
                                + TestSettings.NEVER, "--camel.main.run-controller=false", "--server.port=0",
                        "--server.address=0.0.0.0")
                .close())
                .rootCause().hasMessageContaining("server.address (env SERVER_ADDRESS) is '0.0.0.0', but no users or "
                        + "API keys are configured (integrity.security.users (env INTEGRITY_USERS), "
                        + "integrity.security.api-keys (env INTEGRITY_API_KEYS)): configure them, or leave "
                        + "server.address (env SERVER_ADDRESS) unset to listen on 127.0.0.1 only");
    }
}
