package com.airtableintegrity.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.TableSpec;
import com.google.cloud.firestore.QueryDocumentSnapshot;

/**
 * Each test gets a wiped Firestore emulator, a fresh Airtable double and, once {@link #startRunner} is called, the
 * product's routes in a plain CamelContext. After each test no run may be left {@code running}.
 */
public abstract class RunnerTestBase {
    protected static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();

    protected AirtableDouble airtable;
    protected CamelRunner runner;

    @BeforeEach
    void startDoubles() {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
    }

    @AfterEach
    void stopAndCheckNoRunLeftRunning() throws Exception {
        try {
            if (runner != null) {
                List<String> running = runner.firestore().collection("integrity_runs")
                        .whereEqualTo("status", "running").get().get(10, TimeUnit.SECONDS)
                        .getDocuments().stream().map(QueryDocumentSnapshot::getId).toList();
                assertThat(running).as("runs left running").isEmpty();
            }
        } finally {
            if (runner != null) {
                runner.close();
            }
            airtable.close();
        }
    }

    protected CamelRunner startRunner(List<TableSpec> tables, Consumer<IntegrityProperties> customize) throws Exception {
        IntegrityProperties props = TestSettings.of(airtable, EMULATOR, tables);
        customize.accept(props);
        runner = CamelRunner.start(props);
        return runner;
    }

    protected CamelRunner startRunner(List<TableSpec> tables) throws Exception {
        return startRunner(tables, p -> { });
    }

    protected Map<String, Object> doc(String runId) {
        return runner.reads().read(runId);
    }

    @SuppressWarnings("unchecked")
    protected static Map<String, Object> map(Map<String, Object> doc, String... path) {
        Map<String, Object> m = doc;
        for (String key : path) {
            m = (Map<String, Object>) m.get(key);
        }
        return m;
    }

    /** The stored issues of a run, ordered by their sequence number. */
    protected List<Map<String, Object>> issues(String runId) throws Exception {
        return runner.firestore().collection("integrity_runs").document(runId).collection("issues")
                .orderBy("seq").get().get(10, TimeUnit.SECONDS)
                .getDocuments().stream().map(QueryDocumentSnapshot::getData).toList();
    }

    protected static long durationMs(Map<String, Object> doc) {
        return ((Number) doc.get("duration_ms")).longValue();
    }
}
