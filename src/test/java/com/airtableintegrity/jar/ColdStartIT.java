package com.airtableintegrity.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.ColdStart;
import com.airtableintegrity.support.CpuHog;
import com.airtableintegrity.support.EmulatorRuns;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.TestSettings;

/**
 * Never a 429, even on a cold start on a busy machine: fresh {@code java -jar} starts scan 3 tables in parallel at 5
 * requests per second while every core is kept busy, against a double that counts arrivals in a strict 1 s window
 * (a sixth locks the base out for 30 s). The benchmark makes 10 such starts; the suite makes two, and one more with
 * the network's jitter (each arrival counted 0-150 ms late).
 */
class ColdStartIT {
    private static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    private static final EmulatorRuns RUNS = new EmulatorRuns(EMULATOR);
    private static AirtableDouble airtable;

    @BeforeAll
    static void tables() {
        airtable = AirtableDouble.start(TestSettings.TOKEN);
        ColdStart.prepare(airtable);
    }

    @AfterAll
    static void stop() {
        airtable.close();
    }

    @Test
    void freshStartsWithEveryCoreBusyGetNo429() throws Exception {
        try (CpuHog hog = new CpuHog()) {
            for (int start = 1; start <= 2; start++) {
                ColdStart.Outcome outcome = ColdStart.once(airtable, EMULATOR, RUNS, "cold-start-" + start);

                assertThat(outcome.rateLimited()).as("429s of start %d", start).isZero();
                assertThat(outcome.maxInOneSecond()).as("arrivals in any 1 s, start %d", start).isLessThanOrEqualTo(5);
                assertThat(outcome.status()).isEqualTo("success");
                assertThat(outcome.records()).isEqualTo(ColdStart.TABLES * ColdStart.RECORDS);
            }
        }
    }

    @Test
    void arrivalsCountedUpTo150MillisecondsLateStillGetNo429() throws Exception {
        airtable.rateLimitArrivalDelay(Duration.ofMillis(150));
        try {
            ColdStart.Outcome outcome = ColdStart.once(airtable, EMULATOR, RUNS, "cold-start-jitter");

            assertThat(outcome.rateLimited()).as("429s").isZero();
            assertThat(outcome.status()).isEqualTo("success");
            assertThat(outcome.records()).isEqualTo(ColdStart.TABLES * ColdStart.RECORDS);
        } finally {
            airtable.rateLimitArrivalDelay(Duration.ZERO);
        }
    }
}
