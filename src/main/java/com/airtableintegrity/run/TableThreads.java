package com.airtableintegrity.run;

import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The threads that scan the tables of every run: thread pool profile {@value #PROFILE}, which the table split of route
 * {@code integrity-run} names as its {@code executorService}. Without it Camel gives that split its default pool (10
 * threads, queue 1000), one pool for all runs of the context, so runs of several bases at once scanned 10 tables at a
 * time in all while the other bases' throttles sat idle. A table's scan holds its thread for the whole table (the
 * throttle's waits and the blocking HTTP calls), so the size is the number of tables scanned at once across all runs,
 * {@code integrity.run.table-threads}; further tables wait in the queue. Idle threads end after
 * {@value #IDLE_SECONDS} s. Camel makes the pool from the profile and shuts it down when the context stops.
 */
public final class TableThreads {
    public static final String PROFILE = "integrityTableThreads";
    public static final int QUEUE = 100_000;
    public static final int IDLE_SECONDS = 60;

    private TableThreads() {
    }

    /** Registers the profile; call before the routes are built (the split looks it up then). */
    public static void register(CamelContext context, int threads) {
        ExecutorServiceManager manager = context.getExecutorServiceManager();
        if (manager.getThreadPoolProfile(PROFILE) != null) {
            return;
        }
        ThreadPoolProfile profile = new ThreadPoolProfile(PROFILE);
        profile.setPoolSize(threads);
        profile.setMaxPoolSize(threads);
        profile.setKeepAliveTime((long) IDLE_SECONDS);
        profile.setTimeUnit(TimeUnit.SECONDS);
        profile.setAllowCoreThreadTimeOut(true);
        profile.setMaxQueueSize(QUEUE);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
        manager.registerThreadPoolProfile(profile);
    }
}
