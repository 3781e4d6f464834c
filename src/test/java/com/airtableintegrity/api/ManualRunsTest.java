package com.airtableintegrity.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.rules.RunRules;
import com.airtableintegrity.run.IssueCollector;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.RunContext;
import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.ScanPlan;
import com.airtableintegrity.run.StartRateLimit;

/** The answers behind {@code POST /api/runs} and JMX {@code runNow()}, decided from memory. */
class ManualRunsTest {
    private static final String BASE = "appBASE";
    private final AtomicLong nanos = new AtomicLong();
    private final RunRegistry registry = new RunRegistry();
    private final CountDownLatch runEnds = new CountDownLatch(1);
    private final AtomicInteger launched = new AtomicInteger();
    private ManualRuns manualRuns;

    @AfterEach
    void close() {
        runEnds.countDown();
        manualRuns.close();
    }

    private ManualRuns manualRuns(int burst, int perMinute) {
        manualRuns = new ManualRuns(registry, new ScanPlan(BASE, List.of()), new StartRateLimit(burst, perMinute,
                nanos::get), plan -> {
            launched.incrementAndGet();
            try {
                runEnds.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return manualRuns;
    }

    @Test
    void aStartWhileAManualRunIsQueuedOrRunningIsBusyAndLaunchesNothing() {
        ManualRuns runs = manualRuns(5, 3);

        assertThat(runs.request()).isEqualTo(new ManualRuns.Accepted());
        assertThat(runs.request()).isEqualTo(new ManualRuns.Busy(BASE, null));
        await().atMost(Duration.ofSeconds(5)).until(() -> launched.get() == 1);
        assertThat(launched.get()).isEqualTo(1);
    }

    @Test
    void aStartWhileARunOfTheBaseIsLiveIsBusyNamingThatRun() {
        ManualRuns runs = manualRuns(5, 3);
        registry.register(new RunContext("LIVE1", BASE, List.of(), java.time.Instant.now(), Duration.ofMinutes(1),
                new RunRules(List.of(), new IssueCollector(0)), new IssueCollector(0)));

        ManualRuns.Result result = runs.request();

        assertThat(result).isEqualTo(new ManualRuns.Busy(BASE, "LIVE1"));
        assertThat(result.message()).isEqualTo("Run LIVE1 is live for base appBASE: a new run starts only after it has ended");
        assertThat(launched.get()).isZero();
    }

    @Test
    void startsBeyondTheBurstAreRateLimitedUntilTheBucketRefills() {
        ManualRuns runs = manualRuns(2, 3);
        runs.request();
        runs.request();

        assertThat(runs.request()).isEqualTo(new ManualRuns.RateLimited(20, 2, 3));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(15));
        assertThat(runs.request()).isEqualTo(new ManualRuns.RateLimited(5, 2, 3));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(runs.request()).isInstanceOf(ManualRuns.Busy.class);
    }

    @Test
    void afterTheRunEndsANewStartIsAccepted() {
        ManualRuns runs = manualRuns(5, 3);
        runs.request();

        runEnds.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.request() instanceof ManualRuns.Accepted);
    }
}
