package com.airtableintegrity.ops;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.LifecycleStrategySupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.boot.BootTestSettings;
import com.airtableintegrity.run.RunExchange;
import com.airtableintegrity.run.RunLifecycle;
import com.airtableintegrity.run.RunnerExecutors;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.TestSettings;
import com.airtableintegrity.wiring.RunnerFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;

/**
 * JSON console logs (LOG_FORMAT=ecs, Spring Boot's structured logging) carry each run's run_id, base_id and
 * schedule_id on every line written for it, on every thread (the caller's, the table split's pool, the Airtable retry
 * code), and on no line after: a later line on the same pooled thread carries none of them. The token never appears.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"LOG_FORMAT=ecs", "integrity.run.table-threads=1"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {
    private static final Logger LOG = LoggerFactory.getLogger(StructuredLogsTest.class);
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);
    /** The split's pool, as Camel made it from the table threads' profile (one thread here). */
    private static final AtomicReference<ExecutorService> TABLE_POOL = new AtomicReference<>();

    static {
        AIRTABLE.addTable(TestSettings.BASE, "Customers", Records.of('C', 120, i -> fields(
                "Name", "Customer " + i, "Email", "user" + i + "@example.com", "Status", "Active")));
        AIRTABLE.addTable(TestSettings.BASE, "Orders", Records.of('O', 10, i -> fields(
                "Customer", i == 7 ? List.of("recGONE0000000001") : List.of(Records.id('C', i)))));
        EMULATOR.wipe();
    }

    @TestConfiguration
    static class TablePoolCapture {
        @Bean
        CamelContextConfiguration captureTablePool() {
            return new CamelContextConfiguration() {
                @Override
                public void beforeApplicationStart(CamelContext camel) {
                    camel.addLifecycleStrategy(new LifecycleStrategySupport() {
                        @Override
                        public void onThreadPoolAdd(CamelContext context, java.util.concurrent.ThreadPoolExecutor pool,
                                                    String id, String sourceId, String routeId, String profileId) {
                            if (RunnerExecutors.TABLE_PROFILE.equals(profileId)) {
                                TABLE_POOL.set(pool);
                            }
                        }
                    });
                }

                @Override
                public void afterApplicationStart(CamelContext camel) {
                }
            };
        }
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    Firestore firestore;
    @Autowired
    RunnerFactory factory;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        BootTestSettings.register(r, AIRTABLE, EMULATOR, "structured-logs-test-runner");
        r.add("integrity.airtable.backoff-initial-millis", () -> "50");
    }

    @AfterAll
    static void stopDouble() {
        AIRTABLE.close();
    }

    @Test
    void everyLineOfARunCarriesItsKeysAndNoLaterLineDoes(CapturedOutput output) throws Exception {
        AIRTABLE.fault(Fault.serviceUnavailable().onTable("Orders").once());
        ScanPlan plan = new ScanPlan(TestSettings.BASE, factory.configuredPlan().tables(), "nightly", null, null);
        producer.send("direct:integrity-run", e -> {
            e.getMessage().setHeader(RunLifecycle.TRIGGER, "schedule");
            e.setProperty(RunExchange.PLAN, plan);
        });
        String runId = await().atMost(Duration.ofSeconds(30)).until(() -> firestore.collection("integrity_runs")
                .whereEqualTo("status", "warning").get().get(10, TimeUnit.SECONDS).getDocuments().stream()
                .map(d -> d.getId()).findFirst().orElse(null), id -> id != null);
        assertThat(MDC.get("run_id")).as("the caller's thread after the run").isNull();
        LOG.info("probe: the test thread after the run");
        TABLE_POOL.get().submit(() -> LOG.info("probe: a table thread after the run")).get(10, TimeUnit.SECONDS);

        List<JsonNode> lines = await().atMost(Duration.ofSeconds(10)).until(() -> jsonLines(output),
                l -> l.stream().anyMatch(line -> message(line).equals("probe: a table thread after the run")));
        List<JsonNode> runLines = lines.stream().filter(l -> message(l).contains(runId)).toList();
        assertThat(runLines).extracting(StructuredLogsTest::message).anyMatch(m -> m.startsWith("Run " + runId
                + " started")).anyMatch(m -> m.startsWith("Run " + runId + " ended warning"));
        JsonNode retry = single(lines, "Run " + runId + ": table 'Orders' page 1 attempt 1 failed");
        List<JsonNode> keyed = new ArrayList<>(runLines);
        keyed.add(retry);
        for (JsonNode line : keyed) {
            assertThat(mdc(line)).as(line.toString()).isEqualTo(Map.of("run_id", runId,
                    "base_id", TestSettings.BASE, "schedule_id", "nightly"));
        }
        assertThat(lines.stream().filter(l -> runId.equals(l.path("run_id").asText(null)))).hasSizeGreaterThan(2);

        JsonNode tableProbe = single(lines, "probe: a table thread after the run");
        assertThat(thread(tableProbe)).as("the pool's one thread").isEqualTo(thread(retry));
        assertThat(mdc(tableProbe)).isEmpty();
        assertThat(mdc(single(lines, "probe: the test thread after the run"))).isEmpty();
        assertThat(output.getAll()).doesNotContain(TestSettings.TOKEN).doesNotContain("SECRETTOKEN");
    }

    private static List<JsonNode> jsonLines(CapturedOutput output) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    private static JsonNode single(List<JsonNode> lines, String messageStart) {
        List<JsonNode> found = lines.stream().filter(l -> message(l).startsWith(messageStart)).toList();
        assertThat(found).as(messageStart).hasSize(1);
        return found.get(0);
    }

    private static String message(JsonNode line) {
        return line.path("message").asText("");
    }

    /** ECS names the thread process.thread.name (nested objects, or one dotted key). */
    private static String thread(JsonNode line) {
        JsonNode nested = line.path("process").path("thread").path("name");
        return nested.isMissingNode() ? line.path("process.thread.name").asText() : nested.asText();
    }

    private static Map<String, String> mdc(JsonNode line) {
        Map<String, String> keys = new java.util.TreeMap<>();
        for (String key : List.of("run_id", "base_id", "schedule_id")) {
            if (line.has(key)) {
                keys.put(key, line.get(key).asText());
            }
        }
        return keys;
    }
}
