package com.airtableintegrity.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.soak.Soak;

/**
 * The soak of {@code bench/soak.sh} for 2 minutes of chaos on the packaged jar, with a fixed seed (its plan: the
 * first lines of the output), so it cannot rot: every row with a limit keeps it. The table lands in
 * {@code target/soak-it.md}.
 */
class SoakIT {
    private static final long SEED = 14L;

    @Test
    void twoMinutesOfChaosLoseNoOutcomeAndLeaveNoRunRunning() throws Exception {
        Path out = Path.of(System.getProperty("runner.logs", "target/runner-logs")).getParent().resolve("soak-it.md");
        Soak.Result result = Soak.run(Duration.ofMinutes(2), SEED, out);
        assertThat(result.failed()).as(result.table()).isEmpty();
    }
}
