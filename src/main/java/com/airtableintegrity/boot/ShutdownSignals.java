package com.airtableintegrity.boot;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import sun.misc.Signal;

/**
 * Bounded exit for the packaged runner (installed by {@code main}, never in tests, which share their JVM):
 * <ul>
 *   <li>the first SIGTERM or SIGINT starts the normal shutdown (JVM shutdown hooks, so Spring closes the context
 *   and the runner cancels its live runs); a second one exits at once;</li>
 *   <li>once the context starts closing, a watchdog ends the process when {@code integrity.shutdown.timeout-seconds}
 *   have passed, whatever is still running.</li>
 * </ul>
 * Exit codes follow the JVM's convention: 143 after SIGTERM, 130 after SIGINT. The JDK offers no supported API for a
 * second signal, hence {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK 17+ runtime).
 */
public final class ShutdownSignals implements ApplicationListener<ContextClosedEvent> {
    private final AtomicBoolean signalled = new AtomicBoolean();
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
                if (signalled.compareAndSet(false, true)) {
                    Thread exit = new Thread(() -> System.exit(exitCode), "integrity-shutdown-" + name);
                    exit.start();
                } else {
                    System.err.println("Second SIG" + name + ": exiting now");
                    Runtime.getRuntime().halt(exitCode);
                }
            });
        } catch (IllegalArgumentException unsupported) {
            // a platform without this signal: the JVM's default handling stays
        }
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
            Runtime.getRuntime().halt(signalled.get() ? 143 : 1);
        }, "integrity-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
