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
 * <tr><td>{@code run-store-tx-N}</td><td>{@value #STORE_TRANSACTION_THREADS} threads (idle ones end after
 * {@value #IDLE_SECONDS} s), queue {@value #STORE_TRANSACTION_QUEUE}</td><td>Firestore transaction functions, which
 * block on their reads ({@link #storeTransactions()}, given to {@code store/RunCollection})</td><td>{@link #close}
 * </td></tr>
 * <tr><td>{@code integrity-heartbeat-N}</td><td>{@value #HEARTBEAT_THREADS} threads</td><td>the heartbeat timer and
 * the run-document listeners of {@link RunHeartbeats} ({@link #heartbeatTimer()})</td><td>{@link #close}</td></tr>
 * <tr><td>{@code integrity-schedule-sync-N}</td><td>1 thread, queue {@value #SCHEDULE_SYNC_QUEUE}</td><td>changes of
 * the schedule documents ({@link ScheduleSync}, {@link #scheduleSync()})</td><td>{@link #close}</td></tr>
 * <tr><td>{@code Camel (…) thread #N - hung-run-sweep}</td><td>{@value HungRunSweeper#PARALLELISM} threads, queue
 * {@value #SWEEP_QUEUE}, then the sweep's own thread marks (caller runs)</td><td>the marks of one
 * {@link HungRunSweeper#sweep} ({@link #sweepPool}, thread pool profile {@value #SWEEP_PROFILE})</td><td>Camel's
 * {@code ExecutorServiceManager}, when the CamelContext stops</td></tr>
 * <tr><td>{@code airtable-request-deadline}</td><td>1 thread</td><td>the wall-clock deadline of each Airtable
 * request ({@code airtable/AirtableRequestGuard}, which creates it)</td><td>{@code AirtableRequestGuard.close()},
 * closed with the context by the wiring (Spring: bean destroy; Camel Main: {@code RunnerAssembly})</td></tr>
 * </table>
 *
 * <p>The owner of this object closes it after the CamelContext has stopped (the live runs' final writes need the
 * transaction threads until then): Spring as a bean's destroy method, Camel Main and the tests when the context has
 * stopped.
 */
public final class RunnerExecutors implements AutoCloseable {
    public static final int STORE_TRANSACTION_THREADS = 64;
    public static final int STORE_TRANSACTION_QUEUE = 1000;
    public static final int HEARTBEAT_THREADS = 2;
    public static final int IDLE_SECONDS = 60;
    public static final String SWEEP_PROFILE = "hungRunSweep";
    public static final int SWEEP_QUEUE = 1000;
    public static final int SCHEDULE_SYNC_QUEUE = 16;

    private final ThreadPoolExecutor storeTransactions;
    private final ScheduledThreadPoolExecutor heartbeatTimer;
    private final ThreadPoolExecutor scheduleSync;

    public RunnerExecutors() {
        this.storeTransactions = new ThreadPoolExecutor(STORE_TRANSACTION_THREADS, STORE_TRANSACTION_THREADS,
                IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(STORE_TRANSACTION_QUEUE),
                daemonThreads("run-store-tx-"));
        storeTransactions.allowCoreThreadTimeOut(true);
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

    /** Runs Firestore transaction functions (they block on their reads: their own threads, not the client's). */
    public Executor storeTransactions() {
        return storeTransactions;
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
        var manager = context.getExecutorServiceManager();
        ThreadPoolProfile profile = manager.getThreadPoolProfile(SWEEP_PROFILE);
        if (profile == null) {
            profile = new ThreadPoolProfile(SWEEP_PROFILE);
            profile.setPoolSize(HungRunSweeper.PARALLELISM);
            profile.setMaxPoolSize(HungRunSweeper.PARALLELISM);
            profile.setKeepAliveTime((long) IDLE_SECONDS);
            profile.setTimeUnit(TimeUnit.SECONDS);
            profile.setAllowCoreThreadTimeOut(true);
            profile.setMaxQueueSize(SWEEP_QUEUE);
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns);
            manager.registerThreadPoolProfile(profile);
        }
        return manager.newThreadPool(HungRunSweeper.class, "hung-run-sweep", profile);
    }

    @Override
    public void close() {
        storeTransactions.shutdownNow();
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
