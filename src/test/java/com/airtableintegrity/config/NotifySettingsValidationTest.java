package com.airtableintegrity.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Notification settings that cannot work stop startup, each problem naming its key; a URL, secret or password is
 * never printed. Schedules naming channels are checked against the configured ones, at startup and in the API.
 */
class NotifySettingsValidationTest {
    private static final String SECRET_URL = "https://hooks.slack.com/services/T0/B0/TOPSECRETPATH";

    private static IntegrityProperties valid() {
        IntegrityProperties p = IntegrityProperties.defaults();
        p.getAirtable().setToken("patSECRET");
        p.getAirtable().setBaseId("appBASE0000000001");
        p.getFirestore().setProjectId("project");
        p.setTables(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name")))));
        p.getNotify().getChannels().put("ops-hook", channel("webhook", "https://hooks.example.com/x",
                "0123456789abcdef0123"));
        p.getNotify().getChannels().put("team", channel("slack", SECRET_URL, ""));
        ChannelSpec mail = channel("email", "", "");
        mail.setSmtpHost("smtp.example.com");
        mail.setUsername("integrity");
        mail.setPassword("smtp-password-secret");
        mail.setFrom("integrity@example.com");
        mail.setTo(List.of("owner@example.com"));
        p.getNotify().getChannels().put("owners", mail);
        p.getSchedule().setNotify(List.of(new NotifySpec("ops-hook", List.of("error", "timeout"))));
        return p;
    }

    private static ChannelSpec channel(String kind, String url, String secret) {
        ChannelSpec c = new ChannelSpec();
        c.setKind(kind);
        c.setUrl(url);
        c.setSecret(secret);
        return c;
    }

    private static List<String> problems(Consumer<IntegrityProperties> change) {
        return ConfigProblems.of(valid(), change);
    }

    @Test
    void threeChannelsOfEachKindAndAScheduleNamingOneAreValid() {
        assertThat(problems(p -> { })).isEmpty();
    }

    @Test
    void anUnknownKindListsTheKinds() {
        assertThat(problems(p -> p.getNotify().getChannels().get("team").setKind("teams"))).containsExactly(
                "integrity.notify.channels.team.kind must be one of webhook, slack, email, was 'teams'");
    }

    @Test
    void aMalformedUrlIsRefusedWithoutPrintingIt() {
        assertThat(problems(p -> p.getNotify().getChannels().get("team").setUrl("hooks.slack.com/TOPSECRETPATH")))
                .containsExactly("integrity.notify.channels.team.url must be an absolute http(s) URL such as "
                        + "https://hooks.example.com/integrity (the value is secret and never printed)");
    }

    @Test
    void plainHttpIsRefusedExceptToThisMachine() {
        assertThat(problems(p -> p.getNotify().getChannels().get("team").setUrl("http://hooks.example.com/TOPSECRET")))
                .singleElement().asString().startsWith("integrity.notify.channels.team.url must use https")
                .doesNotContain("TOPSECRET");
        assertThat(problems(p -> p.getNotify().getChannels().get("team").setUrl("http://127.0.0.1:9000/hook")))
                .isEmpty();
    }

    @Test
    void aWebhookWithoutASecretOrWithAShortOneIsRefused() {
        assertThat(problems(p -> p.getNotify().getChannels().get("ops-hook").setSecret(""))).containsExactly(
                "integrity.notify.channels.ops-hook.secret is required (the value is secret and never printed)");
        assertThat(problems(p -> p.getNotify().getChannels().get("ops-hook").setSecret("short"))).containsExactly(
                "integrity.notify.channels.ops-hook.secret must be at least 16 characters (the value is secret and "
                        + "never printed)");
    }

    @Test
    void emailWithoutHostSenderOrRecipientsNamesEachKey() {
        assertThat(problems(p -> {
            ChannelSpec mail = p.getNotify().getChannels().get("owners");
            mail.setSmtpHost("");
            mail.setFrom("nobody");
            mail.setTo(List.of());
        })).containsExactly("integrity.notify.channels.owners.smtp-host is required",
                "integrity.notify.channels.owners.from must be one e-mail address such as integrity@example.com, "
                        + "was 'nobody'",
                "integrity.notify.channels.owners.to must list at least one e-mail address");
    }

    @Test
    void aPasswordIsNeverSentWithoutStarttls() {
        assertThat(problems(p -> p.getNotify().getChannels().get("owners").setStarttls("optional")))
                .containsExactly("integrity.notify.channels.owners.starttls must be 'required' when a password is "
                        + "set: it would otherwise be sent in clear to a server that offers no STARTTLS");
    }

    @Test
    void theConfiguredScheduleNamingAChannelThatIsNotConfiguredIsRefused() {
        assertThat(problems(p -> p.getSchedule().setNotify(List.of(new NotifySpec("pager", List.of("error"))))))
                .containsExactly("integrity.schedule.notify[0].channel 'pager' is not a configured channel; "
                        + "configured: ops-hook, owners, team");
    }

    @Test
    void anUnknownEventListsTheEvents() {
        assertThat(problems(p -> p.getSchedule().setNotify(List.of(new NotifySpec("team", List.of("failure"))))))
                .containsExactly("integrity.schedule.notify[0].events[0] 'failure' is not an event; events are "
                        + "error, timeout, new_issues, recovered, every_run");
    }

    @Test
    void aRetryForOfZeroIsRefused() {
        assertThat(problems(p -> p.getNotify().setRetryFor(Duration.ZERO))).containsExactly(
                "integrity.notify.retry-for (env INTEGRITY_NOTIFY_RETRY_FOR) must be a duration from 1s to 30d such "
                        + "as 24h, was PT0S");
    }

    @Test
    void noProblemEverPrintsASecret() {
        List<String> all = problems(p -> {
            p.getNotify().getChannels().get("team").setUrl("ftp://x/TOPSECRETPATH");
            p.getNotify().getChannels().get("ops-hook").setSecret("tiny-secret");
            p.getNotify().getChannels().get("owners").setStarttls("off");
        });
        assertThat(all).hasSize(3);
        assertThat(String.join("\n", all)).doesNotContain("TOPSECRETPATH").doesNotContain("tiny-secret")
                .doesNotContain("smtp-password-secret");
    }

    @Test
    void aScheduleDocumentNamingAnUnknownChannelIsRefusedByItsJsonPath() {
        ScheduleSpec s = new ScheduleSpec();
        s.setName("Nightly");
        s.setBaseId("appBASE0000000001");
        s.setCron("0 0 2 * * ?");
        s.setTables(List.of(new TableSpec("Customers", List.of(RuleSpec.required("Name")))));
        s.setNotify(List.of(new NotifySpec("team", List.of("error")), new NotifySpec("pager", List.of("error"))));

        assertThat(new ScheduleValidator(valid()).problems(s)).containsExactly(
                "$.notify[1].channel 'pager' is not a configured channel; configured: ops-hook, owners, team");
    }
}
