package com.airtableintegrity.jar;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.NoticeReceiver;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerJar;
import com.airtableintegrity.support.TestSettings;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifications on the packaged jar: a runner killed with SIGKILL right after it wrote a run's terminal status (it
 * never polls its outbox) leaves the run's notices pending, and another runner delivers each of them exactly once,
 * on all three channels: a signed webhook and a Slack incoming webhook (a real HTTP receiver) and an email (GreenMail).
 */
class NoticesJarIT {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final EmulatorRuns RUNS = new EmulatorRuns(EMULATOR);
    private static final String NEVER = TestSettings.NEVER;

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());

    private AirtableDouble airtable;
    private NoticeReceiver receiver;
    private RunnerJar first;
    private RunnerJar second;

    @BeforeEach
    void start() {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 20, i -> fields("Name", "Customer " + i,
                "Email", "c" + i + "@example.com", "Status", "Active")));
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 5, i -> fields(
                "Customer", List.of(Records.id('C', i)))));
        receiver = NoticeReceiver.start();
    }

    @AfterEach
    void stop() {
        for (RunnerJar jar : new RunnerJar[] {first, second}) {
            if (jar != null) {
                jar.close();
            }
        }
        receiver.close();
        airtable.close();
    }

    private RunnerJar.Builder notifying(String pollCron) {
        return RunnerJar.against(airtable, EMULATOR)
                .env("INTEGRITY_NOTIFY_CRON", pollCron)
                .env("INTEGRITY_NOTIFY_CHANNELS_HOOK_KIND", "webhook")
                .env("INTEGRITY_NOTIFY_CHANNELS_HOOK_URL", receiver.url("/hook"))
                .env("INTEGRITY_NOTIFY_CHANNELS_HOOK_SECRET", "jar-test-secret-0123456789")
                .env("INTEGRITY_NOTIFY_CHANNELS_TEAM_KIND", "slack")
                .env("INTEGRITY_NOTIFY_CHANNELS_TEAM_URL", receiver.url("/services/T0/B0/SLACKSECRET"))
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_KIND", "email")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_SMTPHOST", "127.0.0.1")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_SMTPPORT", String.valueOf(SMTP.getSmtp().getPort()))
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_STARTTLS", "off")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_FROM", "integrity@example.com")
                .env("INTEGRITY_NOTIFY_CHANNELS_OWNERS_TO", "owner@example.com")
                .env("INTEGRITY_SCHEDULE_NOTIFY_0_CHANNEL", "hook")
                .env("INTEGRITY_SCHEDULE_NOTIFY_0_EVENTS_0", "every_run")
                .env("INTEGRITY_SCHEDULE_NOTIFY_1_CHANNEL", "team")
                .env("INTEGRITY_SCHEDULE_NOTIFY_1_EVENTS_0", "every_run")
                .env("INTEGRITY_SCHEDULE_NOTIFY_2_CHANNEL", "owners")
                .env("INTEGRITY_SCHEDULE_NOTIFY_2_EVENTS_0", "every_run");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> notices(Map<String, Object> run) {
        return (List<Map<String, Object>>) run.get("notices");
    }

    @Test
    void noticesARunnerKilledAfterTheTerminalWriteOwedAreDeliveredOnceByAnotherRunnerOnEveryChannel()
            throws Exception {
        first = notifying(NEVER).start("notices-killed").awaitReady(Duration.ofSeconds(90));
        assertThat(first.post("/api/runs").statusCode()).isEqualTo(202);
        Map<String, Object> ended = await().atMost(Duration.ofSeconds(60)).until(
                () -> RUNS.firstOf("notices-killed"), r -> r != null && !"running".equals(r.get("status")));
        new ProcessBuilder("kill", "-9", String.valueOf(first.pid())).start().waitFor();
        assertThat(first.awaitExit(Duration.ofSeconds(10))).isEqualTo(137);
        String runId = (String) ended.get("id");
        assertThat(notices(ended)).extracting(n -> n.get("channel") + "/" + n.get("state"))
                .containsExactly("hook/pending", "team/pending", "owners/pending");

        second = notifying("0/1 * * * * ?").start("notices-second").awaitReady(Duration.ofSeconds(90));
        Map<String, Object> delivered = await().atMost(Duration.ofSeconds(60)).until(() -> RUNS.read(runId),
                r -> notices(r).stream().allMatch(n -> "delivered".equals(n.get("state"))));
        // three more polls: nothing is sent twice
        long polls = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).until(() -> System.nanoTime() - polls > 3_500_000_000L);

        assertThat(notices(delivered)).extracting(n -> n.get("claimed_by") + "/" + n.get("attempts"))
                .containsOnly("notices-second/1");
        assertThat(receiver.received()).extracting(NoticeReceiver.Received::path)
                .containsExactlyInAnyOrder("/hook", "/services/T0/B0/SLACKSECRET");
        assertThat(receiver.received().stream().filter(r -> r.path().equals("/hook")).findFirst().orElseThrow()
                .headers()).containsEntry("idempotency-key", runId + ":every_run");
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        assertThat(SMTP.getReceivedMessages()[0].getHeader("X-Integrity-Notice-Id")[0])
                .isEqualTo(runId + ":every_run");
        assertThat(second.log()).doesNotContain("SLACKSECRET").doesNotContain("jar-test-secret");
    }
}
