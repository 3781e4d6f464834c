package com.airtableintegrity.run;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * Every executor of the runner besides Camel's and the HTTP and Firestore clients' own, in one place. Each is named,
 * bounded, made of daemon threads (none keeps the JVM alive) and closed with the context:
 *
 * <table>
 * <caption>The runner's executors</caption>
 * <tr><th>threads</th><th>bound</th><th>what for</th><th>closed by</th></tr>
 * <tr><td>{@code integrity-heartbeat-N}</td><td>{@value #HEARTBEAT_THREADS} threads</td><td>the heartbeat timer and
 * the run-document listeners of {@link RunHeartbeats} ({@link #heartbeatTimer()})</td><td>{@link #close}</td></tr>
 * <tr><td>{@code integrity-schedule-sync-N}</td><td>1 thread, queue {@value #SCHEDULE_SYNC_QUEUE}</td><td>changes of
 * the schedule documents ({@link ScheduleSync}, {@link #scheduleSync()})</td><td>{@link #close}</td></tr>
 * <tr><td>{@code Camel (…) thread #N - hung-run-sweep}</td><td>{@value HungRunSweeper#PARALLELISM} threads, queue
 * {@value #SWEEP_QUEUE}, then the sweep's own thread marks (caller runs)</td><td>the marks of one
 * {@link HungRunSweeper#sweep} ({@link #sweepPool}, thread pool profile {@value #SWEEP_PROFILE})</td><td>Camel's
 * {@code ExecutorServiceManager}, when the CamelContext stops</td></tr>
 * <tr><td>{@code Camel (…) thread #N - Split}</td><td>{@code integrity.run.table-threads} threads, queue
 * {@value #TABLE_QUEUE}, then caller runs</td><td>the tables of every run ({@link #registerTableThreads}, thread
 * pool profile {@value #TABLE_PROFILE})</td><td>Camel, when the CamelContext stops</td></tr>
 * <tr><td>{@code airtable-request-deadline}</td><td>1 thread</td><td>the wall-clock deadline of each Airtable
 * request ({@code airtable/AirtableRequestGuard}, which creates it)</td><td>{@code AirtableRequestGuard.close()},
 * closed with the context by the wiring (Spring: bean destroy; Camel Main: {@code RunnerAssembly})</td></tr>
 * </table>
 *
 * <p>The owner of this object closes it after the CamelContext has stopped (the live runs' heartbeats beat until
 * then): Spring as a bean's destroy method, Camel Main and the tests when the context has
 * stopped.
 */
public final class RunnerExecutors implements AutoCloseable {
    public static final int HEARTBEAT_THREADS = 2;
    public static final int IDLE_SECONDS = 60;
    public static final String SWEEP_PROFILE = "hungRunSweep";
    public static final int SWEEP_QUEUE = 1000;
    public static final int SCHEDULE_SYNC_QUEUE = 16;
    public static final String TABLE_PROFILE = "integrityTableThreads";
    public static final int TABLE_QUEUE = 100_000;

    private final ScheduledThreadPoolExecutor heartbeatTimer;
    private final ThreadPoolExecutor scheduleSync;

    public RunnerExecutors() {
        this.heartbeatTimer = new ScheduledThreadPoolExecutor(HEARTBEAT_THREADS, daemonThreads("integrity-heartbeat-"));
        heartbeatTimer.setRemoveOnCancelPolicy(true);
        // one thread: reconciling may wait for a schedule's route to stop, which must never hold up a heartbeat
        this.scheduleSync = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(SCHEDULE_SYNC_QUEUE), daemonThreads("integrity-schedule-sync-"),
                new ThreadPoolExecutor.DiscardPolicy());
        scheduleSync.allowCoreThreadTimeOut(true);
    }

    /**
     * Delivers changes of the schedule documents. A full queue drops the event: each event reconciles everything,
     * and the minute's reconcile is the backstop.
     */
    public Executor scheduleSync() {
        return scheduleSync;
    }

    /** Beats each live run's heartbeat and delivers its document's changes. */
    public ScheduledExecutorService heartbeatTimer() {
        return heartbeatTimer;
    }

    /**
     * The pool of the hung-run sweep's marks, made by Camel from thread pool profile {@value #SWEEP_PROFILE}, so that
     * Camel shuts it down when the context stops (and lists it over JMX). One pool for the context's life.
     */
    public static ExecutorService sweepPool(CamelContext context) {
        ThreadPoolProfile profile = profile(context, SWEEP_PROFILE, HungRunSweeper.PARALLELISM, SWEEP_QUEUE);
        return context.getExecutorServiceManager().newThreadPool(HungRunSweeper.class, "hung-run-sweep", profile);
    }

    /**
     * Registers thread pool profile {@value #TABLE_PROFILE}, which the table split of route {@code integrity-run}
     * names as its {@code executorService}; call before the routes are built. Without it Camel gives that split its
     * default pool (10 threads, queue 1000), one pool for all runs of the context, so runs of several bases at once
     * scanned 10 tables at a time in all while the other bases' throttles sat idle. A table's scan holds its thread
     * for the whole table, so {@code threads} ({@code integrity.run.table-threads}) is the number of tables scanned
     * at once across all runs; further tables wait in the queue.
     */
    public static void registerTableThreads(CamelContext context, int threads) {
        profile(context, TABLE_PROFILE, threads, TABLE_QUEUE);
    }

    /** The profile {@code id} (registered on first use): fixed size, idle threads end, caller runs when full. */
    private static ThreadPoolProfile profile(CamelContext context, String id, int threads, int queue) {
        var manager = context.getExecutorServiceManager();
        ThreadPoolProfile profile = manager.getThreadPoolProfile(id);
        if (profile == null) {
            profile = new ThreadPoolProfile(id);
            profile.setPoolSize(threads);
            profile.setMaxPoolSize(threads);
            profile.setKeepAliveTime((long) IDLE_SECONDS);
            profile.setTimeUnit(TimeUnit.SECONDS);
            profile.setAllowCoreThreadTimeOut(true);
            profile.setMaxQueueSize(queue);
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
            manager.registerThreadPoolProfile(profile);
        }
        return profile;
    }

    @Override
    public void close() {
        heartbeatTimer.shutdownNow();
        scheduleSync.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
