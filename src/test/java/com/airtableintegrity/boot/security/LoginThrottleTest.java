package com.airtableintegrity.boot.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.support.MutableClock;

/** Failed attempts per key (an address, or an address and a user name) within a sliding minute. */
class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, clock);

    @Test
    void anAddressIsRefusedAfterTheLimitUntilItsOldestFailureIsAMinuteOld() {
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(10));
        throttle.failed("10.0.0.1");
        assertThat(throttle.refusedFor("10.0.0.1")).isZero();
        throttle.failed("10.0.0.1");

        assertThat(throttle.refusedFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(50));
        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.refusedFor("10.0.0.1")).isZero();
    }

    @Test
    void otherAddressesAreNotRefused() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("10.0.0.1");
        }

        assertThat(throttle.refusedFor("10.0.0.1")).isPositive();
        assertThat(throttle.refusedFor("10.0.0.2")).isZero();
    }

    @Test
    void failuresOlderThanAMinuteNoLongerCount() {
        throttle.failed("10.0.0.1");
        throttle.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(61));
        throttle.failed("10.0.0.1");

        assertThat(throttle.refusedFor("10.0.0.1")).isZero();
    }

    @Test
    void anAttemptIsCountedBeforeItIsCheckedAndRefusedPastTheLimit() {
        assertThat(throttle.attempt("login 10.0.0.1 otto")).isZero();
        assertThat(throttle.attempt("login 10.0.0.1 otto")).isZero();
        assertThat(throttle.attempt("login 10.0.0.1 otto")).isZero();

        assertThat(throttle.attempt("login 10.0.0.1 otto")).isEqualTo(Duration.ofMinutes(1));
        assertThat(throttle.attempt("login 10.0.0.1 vera")).isZero();
    }

    @Test
    void aSuccessfulAttemptForgetsTheFailuresOfItsKey() {
        throttle.attempt("login 10.0.0.1 otto");
        throttle.attempt("login 10.0.0.1 otto");
        throttle.attempt("login 10.0.0.1 otto");

        throttle.succeeded("login 10.0.0.1 otto");

        assertThat(throttle.attempt("login 10.0.0.1 otto")).isZero();
    }

    @Test
    void attemptsOlderThanAMinuteNoLongerCount() {
        for (int i = 0; i < 3; i++) {
            throttle.attempt("k");
        }
        clock.advance(Duration.ofSeconds(60));

        assertThat(throttle.attempt("k")).isZero();
    }

    @Test
    void theMapOfAddressesStaysBounded() {
        for (int i = 0; i < LoginThrottle.MAX_ADDRESSES + 500; i++) {
            throttle.failed("addr-" + i);
            clock.advance(Duration.ofMillis(20));
        }

        assertThat(throttle.addresses()).isLessThanOrEqualTo(LoginThrottle.MAX_ADDRESSES);
    }
}
