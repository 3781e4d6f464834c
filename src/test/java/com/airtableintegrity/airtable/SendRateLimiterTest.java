package com.airtableintegrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.rules.RunRules;
import com.airtableintegrity.run.IssueCollector;
import com.airtableintegrity.run.RunContext;

/**
 * The send-time limit holds by construction: request k of a base goes out only a window after the answer to request
 * k - max began, so no delay between send and arrival can put max + 1 arrivals inside one window.
 */
class SendRateLimiterTest {
    private static final Duration WINDOW = Duration.ofMillis(300);
    private final SendRateLimiter limiter = new SendRateLimiter(2, WINDOW);
    private final RunContext run = new RunContext("R1", "appBASE", List.of(), Instant.now(), Duration.ofMinutes(1),
            new RunRules(List.of(), new IssueCollector(0)), new IssueCollector(0));

    @Test
    void aSendWaitsForTheAnswerOfTheRequestMaxSendsBackAndThenAWholeWindow() throws Exception {
        SendRateLimiter.Send first = limiter.acquire("appBASE", run);
        limiter.acquire("appBASE", run);

        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> {
            limiter.acquire("appBASE", run);
            return System.nanoTime();
        });

        // the first request's answer has not come: however long ago it was sent, the third waits
        await().during(Duration.ofMillis(2 * WINDOW.toMillis())).atMost(Duration.ofSeconds(2))
                .until(() -> !third.isDone());
        long answered = System.nanoTime();
        first.answered();
        long sent = third.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(sent - answered)).isGreaterThanOrEqualTo(WINDOW);
    }

    @Test
    void basesDoNotWaitForEachOther() {
        limiter.acquire("appBASE", run);
        limiter.acquire("appBASE", run);

        long start = System.nanoTime();
        limiter.acquire("appOTHER", run);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WINDOW);
    }
}
