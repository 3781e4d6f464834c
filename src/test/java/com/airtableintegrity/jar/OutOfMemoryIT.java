package com.airtableintegrity.jar;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.Records;
import com.airtableintegrity.support.RunnerJar;
import com.airtableintegrity.support.TestSettings;

/**
 * A page far larger than the heap, with the page cap lifted on purpose, in the packaged jar at {@code -Xmx128m}:
 * the run fails at once naming the OutOfMemoryError instead of staying {@code running} until its deadline, and
 * with the documented launch option {@code -XX:+ExitOnOutOfMemoryError} the process exits for its supervisor.
 */
class OutOfMemoryIT {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final EmulatorRuns RUNS = new EmulatorRuns(EMULATOR);
    private static final int JVM_EXIT_ON_OOM = 3;

    private AirtableDouble airtable;
    private RunnerJar runner;

    @BeforeEach
    void aPageLargerThanTheHeap() {
        EMULATOR.wipe();
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        airtable.addTable(TestSettings.BASE, "Customers", Records.of('C', 10, i -> fields("Name", "c" + i)));
        // the packaged rules also read Email and Status: a real Customers table has them, even when empty
        airtable.declareFields(TestSettings.BASE, "Customers", "Name", "Email", "Status");
        airtable.addTable(TestSettings.BASE, "Orders", Records.of('O', 10, i -> fields("Customer", List.of("recX"))));
        airtable.fault(Fault.malformedJson("x".repeat(300 * 1024 * 1024)).onTable("Orders").always());
    }

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
        airtable.close();
    }

    private RunnerJar.Builder smallHeap() {
        return RunnerJar.against(airtable, EMULATOR).jvmArg("-Xmx128m")
                .env("AIRTABLE_MAX_PAGE_BYTES", String.valueOf(1024 * 1024 * 1024));
    }

    @Test
    void anOutOfMemoryErrorInAScanFailsTheRunAtOnceNamingIt() throws Exception {
        runner = smallHeap().start("oom-run").awaitReady(Duration.ofSeconds(90));

        assertThat(runner.post("/api/runs").statusCode()).isEqualTo(202);
        Map<String, Object> run = await().atMost(Duration.ofSeconds(30)).until(() -> RUNS.firstOf("oom-run"),
                r -> r != null && !"running".equals(r.get("status")));

        assertThat(run.get("status")).isEqualTo("error");
        assertThat((String) run.get("error_message")).contains("OutOfMemoryError");
        assertThat(runner.get("/actuator/health/liveness").statusCode()).as("still answering").isEqualTo(200);
    }

    @Test
    void withExitOnOutOfMemoryErrorTheProcessExitsForItsSupervisor() throws Exception {
        runner = smallHeap().env("JAVA_TOOL_OPTIONS", "-XX:+ExitOnOutOfMemoryError").start("oom-exit")
                .awaitReady(Duration.ofSeconds(90));

        assertThat(runner.post("/api/runs").statusCode()).isEqualTo(202);

        assertThat(runner.awaitExit(Duration.ofSeconds(30))).as("exit code; log:\n%s", runner.log())
                .isEqualTo(JVM_EXIT_ON_OOM);
    }
}
