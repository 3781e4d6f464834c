package com.airtableintegrity.support;

import static com.airtableintegrity.support.AirtableDouble.fields;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import com.google.cloud.Timestamp;

/**
 * The cold start an operator makes: a fresh {@code java -jar} of the packaged runner scans 3 tables of 2,000 records
 * in parallel at the product's 5 requests per second, against a double that counts arrivals in a strict sliding
 * 1 s window and locks the base out for 30 s after a sixth. Used by {@code jar/ColdStartIT} and the benchmark.
 */
public final class ColdStart {
    public static final int TABLES = 3;
    public static final int RECORDS = 2000;

    /** One start's outcome: the run's status and records, the double's 429s, the most arrivals in any 1 s. */
    public record Outcome(String status, long records, long rateLimited, int maxInOneSecond, double runSeconds) {
    }

    private ColdStart() {
    }

    /** Tables T0..T2 of 2,000 records each, and Airtable's limit (5 per second, 30 s penalty). */
    public static void prepare(AirtableDouble airtable) {
        for (int t = 0; t < TABLES; t++) {
            airtable.addTable(TestSettings.BASE, "T" + t, Records.of('A', RECORDS, i -> fields("Name", "n" + i)));
        }
        airtable.rateLimit(5, Duration.ofSeconds(30));
    }

    /** Starts a fresh runner, starts one run once it is ready, and waits (bounded) for the run to end. */
    public static Outcome once(AirtableDouble airtable, FirestoreEmulator emulator, EmulatorRuns runs, String name)
            throws Exception {
        emulator.wipe();
        airtable.clearRequests();
        try (RunnerJar runner = RunnerJar.against(airtable, emulator)
                .env("INTEGRITY_TABLES_0_NAME", "T0").env("INTEGRITY_TABLES_0_RULES_0_TYPE", "required")
                .env("INTEGRITY_TABLES_0_RULES_0_FIELD", "Name")
                .env("INTEGRITY_TABLES_1_NAME", "T1").env("INTEGRITY_TABLES_1_RULES_0_TYPE", "required")
                .env("INTEGRITY_TABLES_1_RULES_0_FIELD", "Name")
                .env("INTEGRITY_TABLES_2_NAME", "T2").env("INTEGRITY_TABLES_2_RULES_0_TYPE", "required")
                .env("INTEGRITY_TABLES_2_RULES_0_FIELD", "Name")
                .start(name).awaitReady(Duration.ofSeconds(120))) {
            if (runner.post("/api/runs").statusCode() != 202) {
                throw new IllegalStateException("the run was not started: " + runner.log());
            }
            Map<String, Object> run = await().atMost(Duration.ofSeconds(150)).until(() -> runs.all().stream()
                    .filter(r -> !"running".equals(r.get("status"))).findFirst().orElse(null), r -> r != null);
            long n429 = airtable.requests().stream().filter(r -> r.status() == 429).count();
            double seconds = Duration.between(((Timestamp) run.get("started_at")).toDate().toInstant(),
                    ((Timestamp) run.get("ended_at")).toDate().toInstant()).toMillis() / 1000.0;
            return new Outcome((String) run.get("status"), (Long) run.get("records_scanned"), n429,
                    airtable.maxRequestsInAnyWindow(TestSettings.BASE, Duration.ofSeconds(1)), seconds);
        }
    }
}
