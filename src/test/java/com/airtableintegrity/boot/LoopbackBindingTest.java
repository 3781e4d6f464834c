package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

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
