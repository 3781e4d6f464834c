package com.airtableintegrity.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.airtableintegrity.config.ChannelSpec;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.TestSettings;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The email channel end to end: camel-mail to a real SMTP server (GreenMail) on a free port, STARTTLS off. */
class EmailNoticesTest extends NotifyTestBase {
    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private static ChannelSpec mail() {
        ChannelSpec c = new ChannelSpec();
        c.setKind("email");
        c.setSmtpHost("127.0.0.1");
        c.setSmtpPort(SMTP.getSmtp().getPort());
        c.setStarttls("off");
        c.setFrom("integrity@example.com");
        c.setTo(List.of("owner@example.com", "ops@example.com"));
        return c;
    }

    private static String part(MimeMessage message, String type) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.isMimeType(type)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                part.getDataHandler().writeTo(out);
                return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"); // MIME's line ends
            }
        }
        throw new AssertionError("no " + type + " part in " + message.getContentType());
    }

    @Test
    void aFailedRunIsMailedToEveryRecipientAsTextAndHtml() throws Exception {
        startNotifying("owners", mail(), List.of("error"), p -> { });
        airtable.fault(Fault.status(404).onTable("People"));

        String runId = runner.runNow();
        awaitNoticeState(runId, "delivered");

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2); // one copy per recipient mailbox
        MimeMessage m = received[0];
        assertThat(m.getSubject()).isEqualTo("[integrity] Integrity run failed on base " + TestSettings.BASE
                + " (error) · run " + runId);
        assertThat(m.getFrom()[0].toString()).isEqualTo("integrity@example.com");
        assertThat(m.getHeader("To", ",")).isEqualTo("owner@example.com, ops@example.com");
        assertThat(m.getHeader("X-Integrity-Notice-Id")[0]).isEqualTo(runId + ":error");
        assertThat(m.getContentType()).startsWith("multipart/alternative");
        assertThat(part(m, "text/plain")).startsWith("Integrity run failed on base " + TestSettings.BASE
                + " (error)\n\nRun: " + runId + " (manual)\n").contains("Error: Table 'People' not found in base " + TestSettings.BASE);
        assertThat(part(m, "text/html")).contains("<h2>Integrity run failed on base " + TestSettings.BASE
                + " (error)</h2>");
        assertThat(notice(runId)).containsEntry("attempts", 1L).containsEntry("last_answer", "accepted");
    }

    @Test
    void aRecordValueWithMarkupShowsAsTextInTheHtmlMail() throws Exception {
        startNotifying("owners", mail(), List.of("new_issues"), p -> { });
        runner.runNow();
        breakRecord(1, "<!channel> <a href=x>click</a>");

        String runId = runner.runNow();
        awaitNoticeState(runId, "delivered");

        String html = part(SMTP.getReceivedMessages()[0], "text/html");
        assertThat(html).doesNotContain("<a href=x>").contains("&lt;!channel&gt; &lt;a href=x&gt;click&lt;/a&gt;");
    }

    @Test
    void anSmtpServerThatIsDownLeavesTheNoticePendingWithItsError() throws Exception {
        ChannelSpec down = mail();
        down.setSmtpPort(freePort());
        startNotifying("owners", down, List.of("every_run"), p -> { });

        String runId = runner.runNow();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> ((Number) notice(runId).get("attempts")).longValue() >= 2);

        assertThat(notice(runId)).containsEntry("state", "pending");
        assertThat((String) notice(runId).get("last_error"))
                .isEqualTo("MailConnectException: java.net.ConnectException: Connection refused");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
