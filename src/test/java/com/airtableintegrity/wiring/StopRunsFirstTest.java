package com.airtableintegrity.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.run.RunRegistry;
import com.airtableintegrity.run.RunnerShutdown;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A runner told to stop while a short exchange is in flight (the startup recovery waiting on Firestore, say): Camel's
 * shutdown strategy must find nothing in flight, or it sleeps a whole second before it looks again.
 */
class StopRunsFirstTest {
    private static final String SHUTDOWN_STRATEGY = "org.apache.camel.impl.engine.DefaultShutdownStrategy";

    private final ListAppender<ILoggingEvent> strategyLog = new ListAppender<>();
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final CountDownLatch inFlight = new CountDownLatch(1);
    private volatile boolean finished;

    @BeforeEach
    void startACamelWithAnExchangeInFlight() throws Exception {
        ((Logger) LoggerFactory.getLogger(SHUTDOWN_STRATEGY)).addAppender(strategyLog);
        strategyLog.start();
        camel.addLifecycleStrategy(new StopRunsFirst(new RunnerShutdown(new RunRegistry()), Duration.ofSeconds(6)));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:startup-recovery?repeatCount=1").routeId("held").process(e -> {
                    inFlight.countDown();
                    TimeUnit.MILLISECONDS.sleep(300);
                    finished = true;
                });
            }
        });
        camel.start();
        assertThat(inFlight.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void detach() throws Exception {
        ((Logger) LoggerFactory.getLogger(SHUTDOWN_STRATEGY)).detachAppender(strategyLog);
        camel.close();
    }

    @Test
    void camelsShutdownFindsNoExchangeInFlightAndSoDoesNotWaitItsSecond() {
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getInflightRepository().size() == 1);

        camel.stop();

        assertThat(finished).as("the exchange in flight ended on its own").isTrue();
        assertThat(strategyLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.startsWith("Waiting as there are still"));
    }
}
