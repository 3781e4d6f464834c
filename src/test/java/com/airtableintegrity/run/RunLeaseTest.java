package com.airtableintegrity.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.airtableintegrity.rules.RunRules;
import com.airtableintegrity.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run holds a lease: the time since its last confirmed heartbeat. Past it, the hung-run sweep may have closed the
 * run, so it must send nothing more (the soak found a runner resumed from SIGSTOP still asking Airtable for a run
 * closed meanwhile).
 */
class RunLeaseTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(8);

    private final MutableClock clock = new MutableClock(T0);
    private final RunContext run = newRun();

    @Test
    void aRunGoesOnWithinItsLease() {
        run.holdLease(LEASE, clock);
        clock.advance(LEASE);
        run.ensureActive();
        assertThat(run.stopped()).isNull();
    }

    @Test
    void aRunStopsBeforeItsNextRequestOnceItsLeaseHasPassed() {
        run.holdLease(LEASE, clock);
        clock.advance(LEASE.plusMillis(1));
        assertThatThrownBy(run::ensureActive).isInstanceOfSatisfying(RunStoppedException.class,
                e -> assertThat(e.kind()).isEqualTo(RunContext.StopKind.LEASE_LOST)).hasMessage(
                "Run lost its lease: its heartbeat was last confirmed 8.0 s ago, longer than its lease of 8 s (the"
                        + " heartbeat-stale window less one heartbeat interval), so the hung-run sweep may have closed"
                        + " it; it sent no more requests");
        assertThat(run.stopped().kind()).isEqualTo(RunContext.StopKind.LEASE_LOST);
    }

    @Test
    void aConfirmedHeartbeatRenewsTheLease() {
        run.holdLease(LEASE, clock);
        clock.advance(Duration.ofSeconds(7));
        run.heartbeatWritten(clock.instant());
        clock.advance(Duration.ofSeconds(7));
        run.ensureActive();
        assertThat(run.stopped()).isNull();
    }

    @Test
    void aRunWithoutALeaseIsNotStoppedByTime() {
        clock.advance(Duration.ofHours(1));
        run.ensureActive();
        assertThat(run.stopped()).isNull();
    }

    private static RunContext newRun() {
        IssueCollector issues = new IssueCollector(10);
        return new RunContext("run1", "appBASE0000000001", List.of("T"), T0, Duration.ofHours(2),
                new RunRules(List.of(), issues), issues);
    }
}
