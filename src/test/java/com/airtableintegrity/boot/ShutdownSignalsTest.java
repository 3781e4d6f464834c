package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.boot.ShutdownSignals.Outcome;
import com.airtableintegrity.boot.ShutdownSignals.Received;

/**
 * What each signal does (the decision only: the tests share their JVM, so no real signal is sent here; ShutdownIT
 * sends them to the packaged jar).
 */
class ShutdownSignalsTest {
    private static final long T0 = 1_000_000_000L;
    private final ShutdownSignals signals = new ShutdownSignals();

    private static Received at(String signal, Duration after) {
        return new Received(signal, T0 + after.toNanos());
    }

    @Test
    void theFirstSignalStartsTheGracefulStop() {
        assertThat(signals.receive(at("TERM", Duration.ZERO))).isEqualTo(Outcome.STOP);
    }

    @Test
    void theSameSignalFromAnotherSenderWithinMillisecondsIsTheSameStop() {
        signals.receive(at("TERM", Duration.ZERO));

        assertThat(signals.receive(at("TERM", Duration.ofMillis(3)))).isEqualTo(Outcome.SAME_STOP);
    }

    @Test
    void theSameSignalExactlyOneSecondLaterIsStillTheSameStop() {
        signals.receive(at("INT", Duration.ZERO));

        assertThat(signals.receive(at("INT", ShutdownSignals.REPEAT_AFTER))).isEqualTo(Outcome.SAME_STOP);
    }

    @Test
    void theSameSignalMoreThanASecondLaterExitsAtOnce() {
        signals.receive(at("INT", Duration.ZERO));

        assertThat(signals.receive(at("INT", Duration.ofMillis(1_200)))).isEqualTo(Outcome.EXIT_NOW);
    }

    @Test
    void aSigtermFiveSecondsAfterCtrlCAsMavenSendsItIsTheSameStop() {
        signals.receive(at("INT", Duration.ZERO));

        assertThat(signals.receive(at("TERM", Duration.ofSeconds(5)))).isEqualTo(Outcome.SAME_STOP);
    }

    @Test
    void aDeliberateRepeatStillExitsAfterSignalsThatWereTheSameStop() {
        signals.receive(at("TERM", Duration.ZERO));
        signals.receive(at("TERM", Duration.ofMillis(2)));

        assertThat(signals.receive(at("TERM", Duration.ofSeconds(2)))).isEqualTo(Outcome.EXIT_NOW);
    }
}
