package com.airtableintegrity.boot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import sun.misc.Signal;

/**
 * Bounded exit for the packaged runner (installed by {@code main}, never in tests, which share their JVM):
 * <ul>
 *   <li>the first SIGTERM or SIGINT starts the normal shutdown (JVM shutdown hooks, so Spring closes the context
 *   and the runner cancels its live runs);</li>
 *   <li>the same signal again, more than {@link #REPEAT_AFTER} after the first, is a person's second press and exits
 *   at once; any other signal meanwhile is the same request to stop, sent by someone else: a terminal's Ctrl-C or
 *   {@code kill -- -PGID} reaches the runner directly and, under {@code mvn spring-boot:run}, again through Maven
 *   within milliseconds (SIGTERM) or 5 s later (after SIGINT), and the graceful stop goes on;</li>
 *   <li>once the context starts closing, a watchdog ends the process when {@code integrity.shutdown.timeout-seconds}
 *   have passed, whatever is still running.</li>
 * </ul>
 * Exit codes follow the JVM's convention: 143 after SIGTERM, 130 after SIGINT. The JDK offers no supported API for a
 * second signal, hence {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK 17+ runtime).
 */
public final class ShutdownSignals implements ApplicationListener<ContextClosedEvent> {
    /** How long after the first signal the same one again counts as a deliberate second request. */
    public static final Duration REPEAT_AFTER = Duration.ofSeconds(1);

    private final AtomicReference<Received> first = new AtomicReference<>();
    private final AtomicBoolean watching = new AtomicBoolean();
    private volatile Duration timeout = Duration.ofSeconds(8);

    /** Installs the handlers for SIGTERM and SIGINT. */
    public ShutdownSignals install() {
        handle("TERM", 143);
        handle("INT", 130);
        return this;
    }

    /** The shutdown timeout, once the settings are known. */
    public void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    private void handle(String name, int exitCode) {
        try {
            Signal.handle(new Signal(name), signal -> {
                Received now = new Received(name, System.nanoTime());
                switch (receive(now)) {
                    case STOP -> {
                        System.err.println("SIG" + name + ": stopping gracefully (at most " + timeout.toSeconds()
                                + " s; the same signal again more than " + REPEAT_AFTER.toSeconds()
                                + " s later exits at once)");
                        new Thread(() -> System.exit(exitCode), "integrity-shutdown-" + name).start();
                    }
                    case EXIT_NOW -> {
                        System.err.println("SIG" + name + " again: exiting now");
                        Runtime.getRuntime().halt(exitCode);
                    }
                    case SAME_STOP -> System.err.println("SIG" + name + " " + first.get().since(now)
                            + " after SIG" + first.get().signal() + ": the stop under way goes on (at most "
                            + timeout.toSeconds() + " s; the same signal again exits at once)");
                }
            });
        } catch (IllegalArgumentException unsupported) {
            // a platform without this signal: the JVM's default handling stays
        }
    }

    /** What a signal does. */
    public enum Outcome { STOP, SAME_STOP, EXIT_NOW }

    /** A signal by name ({@code TERM}, {@code INT}) and when it came ({@link System#nanoTime()}). */
    public record Received(String signal, long nanos) {
        String since(Received later) {
            return Duration.ofNanos(later.nanos - nanos).toMillis() + " ms";
        }
    }

    /** The first signal stops; the same one again after {@link #REPEAT_AFTER} exits now; any other goes on. */
    public Outcome receive(Received signal) {
        if (first.compareAndSet(null, signal)) {
            return Outcome.STOP;
        }
        Received was = first.get();
        boolean repeated = was.signal().equals(signal.signal())
                && signal.nanos() - was.nanos() > REPEAT_AFTER.toNanos();
        return repeated ? Outcome.EXIT_NOW : Outcome.SAME_STOP;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (!watching.compareAndSet(false, true)) {
            return;
        }
        Duration limit = timeout;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("Shutdown did not finish within " + limit.toSeconds()
                    + " s (integrity.shutdown.timeout-seconds): exiting now");
            Runtime.getRuntime().halt(first.get() != null ? 143 : 1);
        }, "integrity-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
