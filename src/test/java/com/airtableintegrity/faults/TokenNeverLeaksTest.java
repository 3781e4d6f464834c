package com.airtableintegrity.faults;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerTestBase;
import com.airtableintegrity.support.TestSettings;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;

/**
 * The Airtable token never shows up in logs (any level, exception messages and stack traces included), in an
 * error_message, or in any stored document, on the success path and on every failure path of the page loop.
 */
class TokenNeverLeaksTest extends RunnerTestBase {

    private static final String TOKEN = TestSettings.TOKEN;
    /** A distinctive part of the token, in case something prints it cut short. */
    private static final String TOKEN_PART = "SECRETTOKEN";

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        logs.setContext(root.getLoggerContext());
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stopCapture() {
        root.detachAppender(logs);
        logs.stop();
        root.setLevel(rootLevel);
    }

    @Test
    void theTokenAppearsNowhereAfterRunsThatSucceedAndFailInEveryWay() throws Exception {
        airtable.addTable(TestSettings.BASE, "People", Records.of('P', 150, i -> fields(
                "Name", i % 40 == 0 ? null : "Person " + i)));
        startRunner(List.of(new TableSpec("People", List.of(RuleSpec.required("Name")))), p -> {
            p.getAirtable().setRequestTimeoutSeconds(2);
            p.getAirtable().setRateLimitWaitSeconds(1);
            p.getAirtable().setRateLimitMaxAttempts(2);
        });

        Map<String, Fault> scenarios = new LinkedHashMap<>();
        scenarios.put("warning", null);
        scenarios.put("401", Fault.status(401).always());
        scenarios.put("403", Fault.status(403).always());
        scenarios.put("404", Fault.status(404, "TABLE_NOT_FOUND", "Could not find table People").always());
        scenarios.put("422", Fault.status(422).always());
        scenarios.put("500", Fault.status(500).onPage(2).always());
        scenarios.put("429", Fault.tooManyRequests("1").onPage(2).always());
        scenarios.put("reset", Fault.reset().onPage(2).always());
        scenarios.put("truncated", Fault.truncated().onPage(2).always());
        scenarios.put("malformed", Fault.malformedJson().onPage(2));
        scenarios.put("never answers", Fault.neverAnswer().onPage(2));
        scenarios.put("headers then hang", Fault.headersThenHang().onPage(2));

        long t0 = System.nanoTime();
        List<String> statuses = new ArrayList<>();
        for (Map.Entry<String, Fault> scenario : scenarios.entrySet()) {
            airtable.clearFaults();
            if (scenario.getValue() != null) {
                airtable.fault(scenario.getValue());
            }
            Map<String, Object> doc = doc(runner.runNow());
            statuses.add(scenario.getKey() + "=" + doc.get("status"));
            assertThat(String.valueOf(doc.get("error_message"))).as(scenario.getKey())
                    .doesNotContain(TOKEN).doesNotContain(TOKEN_PART);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("ELAPSED token scenarios: %d ms, %d log events%n", elapsedMs, logs.list.size());

        assertThat(statuses).containsExactly("warning=warning", "401=error", "403=error", "404=error", "422=error",
                "500=error", "429=error", "reset=error", "truncated=error", "malformed=error", "never answers=error",
                "headers then hang=error");
        assertThat(airtable.requests()).as("every request carried the token").allMatch(r -> r.authPresent());

        List<String> leakingLogLines = new ArrayList<>();
        for (ILoggingEvent event : logs.list) {
            String text = render(event);
            if (text.contains(TOKEN) || text.contains(TOKEN_PART)) {
                leakingLogLines.add(event.getLoggerName() + " " + event.getLevel() + ": "
                        + text.substring(0, Math.min(300, text.length())));
            }
        }
        assertThat(logs.list).as("log events captured").hasSizeGreaterThan(20);
        assertThat(leakingLogLines).as("log events containing the token").isEmpty();

        String stored = dumpAllDocuments(runner.firestore());
        assertThat(stored).as("stored documents").contains("integrity_runs/").contains("integrity_runs_locks/")
                .contains("/issues/").doesNotContain(TOKEN).doesNotContain(TOKEN_PART);
        assertThat(elapsedMs).as("12 runs, two of them cut off after 2 s").isLessThan(45_000L);
    }

    /** The message, its arguments, MDC and every throwable in the chain (messages and frames). */
    private static String render(ILoggingEvent event) {
        StringBuilder s = new StringBuilder(event.getFormattedMessage());
        if (event.getArgumentArray() != null) {
            for (Object arg : event.getArgumentArray()) {
                s.append(' ').append(arg);
            }
        }
        s.append(' ').append(event.getMDCPropertyMap());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (IThrowableProxy suppressed : t.getSuppressed()) {
                s.append("\nsuppressed ").append(suppressed.getClassName()).append(": ").append(suppressed.getMessage());
            }
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                s.append("\n\t").append(frame.getSTEAsString());
            }
        }
        return s.toString();
    }

    /** Every document of every collection (recursively), as "path: data" lines. */
    private static String dumpAllDocuments(Firestore db) throws Exception {
        StringBuilder out = new StringBuilder();
        for (CollectionReference collection : db.listCollections()) {
            dump(collection, out);
        }
        return out.toString();
    }

    private static void dump(CollectionReference collection, StringBuilder out) throws Exception {
        for (DocumentReference ref : collection.listDocuments()) {
            DocumentSnapshot snap = ref.get().get(10, TimeUnit.SECONDS);
            out.append(ref.getPath()).append(": ").append(snap.exists() ? snap.getData() : "(no data)").append('\n');
            for (CollectionReference sub : ref.listCollections()) {
                dump(sub, out);
            }
        }
    }

}
