package com.airtableintegrity.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes the Quartz scheduler that fires every schedule route ({@code integrity.schedule.threads}). A schedule route is
 * stateful and runs its integrity run on the Quartz thread that fired it, holding that thread for the whole run; with
 * Quartz's default of 10 threads an 11th schedule firing at the same time waits for a run to end, and once it has
 * waited past Quartz's misfire threshold (60 s) the firing is dropped (misfire instruction "do nothing"). At stop the
 * scheduler does not wait for its idle workers (see {@link #configure}). The other Quartz defaults (the packaged {@code org/quartz/quartz.properties}, as camel-quartz loads them) are kept.
 */
final class QuartzThreads {
    private static final Logger LOG = LoggerFactory.getLogger(QuartzThreads.class);
    static final String THREAD_COUNT = "org.quartz.threadPool.threadCount";

    private QuartzThreads() {
    }

    /** Call before the context starts (camel-quartz creates its scheduler when the component starts). */
    static void configure(CamelContext camel, int threads) {
        QuartzComponent quartz = camel.getComponent("quartz", QuartzComponent.class);
        // At stop, Camel has already drained the routes (and StopRunsFirst the runs), so no job is left to wait for;
        // waiting anyway joins every idle worker, each of which notices the stop only at its next 500 ms poll: up to
        // half a second of an idle SIGTERM (measured: 675-815 ms to exit, 511-595 ms without the wait). Quartz's
        // "shutdown without waiting" interrupts nothing: a job still running would run on, as it would have anyway.
        quartz.setInterruptJobsOnShutdown(true);
        if (quartz.getPropertiesFile() != null || quartz.getPropertiesRef() != null) {
            LOG.warn("Quartz is configured by {}; its thread count stands, not integrity.schedule.threads ({})",
                    quartz.getPropertiesFile() != null ? quartz.getPropertiesFile() : quartz.getPropertiesRef(),
                    threads);
            return;
        }
        @SuppressWarnings("unchecked")
        Map<Object, Object> configured = quartz.getProperties();
        Properties properties = configured == null ? defaults() : new Properties();
        if (configured != null) {
            properties.putAll(configured);
        }
        properties.setProperty(THREAD_COUNT, String.valueOf(threads));
        quartz.setProperties(properties);
    }

    private static Properties defaults() {
        Properties properties = new Properties();
        try (InputStream in = StdSchedulerFactory.class.getClassLoader()
                .getResourceAsStream("org/quartz/quartz.properties")) {
            if (in == null) {
                throw new IllegalStateException("org/quartz/quartz.properties is not on the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read org/quartz/quartz.properties: " + e.getMessage(), e);
        }
        return properties;
    }
}
