package com.airtableintegrity.notify;

import static com.airtableintegrity.support.AirtableDouble.fields;

import com.airtableintegrity.config.ChannelSpec;
import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.NotifySpec;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.NoticeReceiver;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The notification tests' fixture: the product's routes on a plain CamelContext with one channel, the outbox polled
 * every second, short bounds (connect and read 1 s, a whole call 2 s, back-off 1 s), and table People (3 valid
 * records: a run ends {@code success}; {@link #breakRecord} makes the next run find a new issue).
 */
abstract class NotifyTestBase extends RunnerTestBase {
    static final List<TableSpec> PEOPLE = List.of(new TableSpec("People", List.of(RuleSpec.required("Name"),
            RuleSpec.allowedValues("Status", List.of("Active", "Paused")))));

    /** A real HTTP receiver for the webhook and Slack channels. */
    NoticeReceiver receiver;

    @BeforeEach
    void addPeopleAndStartTheReceiver() {
        breakRecord(-1, null);
        receiver = NoticeReceiver.start();
    }

    @AfterEach
    void stopTheReceiver() {
        receiver.close();
    }

    /** Table People again, record {@code index} with Status {@code status} (not an allowed value); -1: none. */
    void breakRecord(int index, String status) {
        airtable.addTable(TestSettings.BASE, "People", Records.of('P', 3, i -> fields("Name", "Person " + i,
                "Status", i == index ? status : "Active")));
    }

    static ChannelSpec channel(String kind, String url, String secret) {
        ChannelSpec c = new ChannelSpec();
        c.setKind(kind);
        c.setUrl(url);
        c.setSecret(secret);
        return c;
    }

    void startNotifying(String name, ChannelSpec channel, List<String> events, Consumer<IntegrityProperties> more)
            throws Exception {
        startRunner(PEOPLE, p -> {
            p.getNotify().getChannels().put(name, channel);
            p.getNotify().setCron("0/1 * * * * ?");
            p.getNotify().setBackoffInitialSeconds(1);
            p.getNotify().setBackoffMaxSeconds(1);
            p.getNotify().setConnectTimeoutSeconds(1);
            p.getNotify().setReadTimeoutSeconds(1);
            p.getNotify().setSendTimeoutSeconds(2);
            p.getSchedule().setNotify(List.of(new NotifySpec(name, events)));
            more.accept(p);
        });
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> notices(String runId) {
        return (List<Map<String, Object>>) doc(runId).get("notices");
    }

    Map<String, Object> notice(String runId) {
        return notices(runId).get(0);
    }

    Map<String, Object> awaitNoticeState(String runId, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> state.equals(notice(runId).get("state")));
        return notice(runId);
    }
}
