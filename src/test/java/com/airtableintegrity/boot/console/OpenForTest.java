package com.airtableintegrity.boot.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** How long an issue has been open, in the words of the run's page: whole units, rounded down. */
class OpenForTest {
    private static final Instant RUN_START = Instant.parse("2026-12-07T12:00:00Z");

    private static String openFor(Duration open) {
        return OpenFor.between(RUN_START.minus(open), RUN_START);
    }

    @Test
    void anIssueFirstSeenAtTheRunsStartHasBeenOpenLessThanAMinute() {
        assertThat(openFor(Duration.ZERO)).isEqualTo("< 1 min");
        assertThat(openFor(Duration.ofSeconds(59))).isEqualTo("< 1 min");
    }

    @Test
    void underAnHourIsCountedInWholeMinutes() {
        assertThat(openFor(Duration.ofMinutes(1))).isEqualTo("1 min");
        assertThat(openFor(Duration.ofMinutes(12).plusSeconds(59))).isEqualTo("12 min");
        assertThat(openFor(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59 min");
    }

    @Test
    void underADayIsCountedInWholeHours() {
        assertThat(openFor(Duration.ofHours(1))).isEqualTo("1 h");
        assertThat(openFor(Duration.ofHours(3).plusMinutes(59))).isEqualTo("3 h");
        assertThat(openFor(Duration.ofHours(23).plusMinutes(59))).isEqualTo("23 h");
    }

    @Test
    void aDayOrMoreIsCountedInWholeDays() {
        assertThat(openFor(Duration.ofDays(1))).isEqualTo("1 day");
        assertThat(openFor(Duration.ofDays(5).plusHours(23))).isEqualTo("5 days");
        assertThat(openFor(Duration.ofDays(1234))).isEqualTo("1,234 days");
    }

    @Test
    void anUnknownFirstSightingOrRunStartShowsNothing() {
        assertThat(OpenFor.between(null, RUN_START)).isEmpty();
        assertThat(OpenFor.between(RUN_START, null)).isEmpty();
    }

    @Test
    void aFirstSightingAfterTheRunsStartShowsNothing() {
        assertThat(OpenFor.between(RUN_START.plusSeconds(1), RUN_START)).isEmpty();
    }
}
