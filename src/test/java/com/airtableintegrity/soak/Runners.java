package com.airtableintegrity.soak;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.RunnerJar;

/**
 * The soak's runner processes (the packaged jar): the steady one, never killed, and a second one that comes and goes,
 * killed with SIGKILL and restarted under the same or a new runner id. Each reaches Airtable and Firestore through
 * the soak's proxies. Every process started here is killed by {@link #close()}.
 */
final class Runners implements AutoCloseable {
    static final int HEARTBEAT_SECONDS = 2;
    static final int STALE_SECONDS = 10;
    static final int SWEEP_SECONDS = 5;
    static final int MAX_RUN_SECONDS = 30;
    static final int REQUEST_TIMEOUT_SECONDS = 10;
    static final int FIRESTORE_CALL_SECONDS = 5;
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);

    private final AirtableDouble airtable;
    private final FirestoreEmulator emulator;
    private final String airtableUrl;
    private final String firestoreHost;
    private final String baseId;
    private final Timeline timeline;
    private final String noticeUrl;
    private final List<RunnerJar> all = new ArrayList<>();
    private final Object signals = new Object();
    private RunnerJar steady;
    private Timeline.Proc steadyProc;
    private RunnerJar second;
    private Timeline.Proc secondProc;
    private int starts;
    private String secondId;

    Runners(AirtableDouble airtable, FirestoreEmulator emulator, String airtableUrl, String firestoreHost,
            String baseId, Timeline timeline, String noticeUrl) {
        this.noticeUrl = noticeUrl;
        this.airtable = airtable;
        this.emulator = emulator;
        this.airtableUrl = airtableUrl;
        this.firestoreHost = firestoreHost;
        this.baseId = baseId;
        this.timeline = timeline;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "soak-runners-stop"));
    }

    /** The settings of every soak runner (docs/soak.md, "What runs", states them). */
    private RunnerJar.Builder builder() {
        return RunnerJar.against(airtable, emulator)
                .env("AIRTABLE_API_URL", airtableUrl)
                // the setting, not FIRESTORE_EMULATOR_HOST: with that variable the Google client builds the emulator
                // channel itself, which reconnects on gRPC's backoff, not at the next call (docs/configuration.md)
                .withoutEnv("FIRESTORE_EMULATOR_HOST")
                .env("INTEGRITY_FIRESTORE_EMULATORHOST", firestoreHost)
                .env("AIRTABLE_BASE_ID", baseId)
                // the soak's webhook receiver, polled every second (SoakNotices)
                .env("INTEGRITY_NOTIFY_CRON", "0/1 * * * * ?")
                .env("INTEGRITY_NOTIFY_BACKOFF_INITIAL_SECONDS", "1")
                .env("INTEGRITY_NOTIFY_BACKOFF_MAX_SECONDS", "2")
                .env("INTEGRITY_NOTIFY_CHANNELS_SOAK_KIND", "webhook")
                .env("INTEGRITY_NOTIFY_CHANNELS_SOAK_URL", noticeUrl)
                .env("INTEGRITY_NOTIFY_CHANNELS_SOAK_SECRET", SoakNotices.SECRET)
                .env("INTEGRITY_SWEEP_CRON", "*/" + SWEEP_SECONDS + " * * * * ?")
                .env("HEARTBEAT_INTERVAL_SECONDS", String.valueOf(HEARTBEAT_SECONDS))
                .env("HEARTBEAT_STALE_AFTER_SECONDS", String.valueOf(STALE_SECONDS))
                .env("MAX_RUN_DURATION_SECONDS", String.valueOf(MAX_RUN_SECONDS))
                .env("HUNG_RUN_THRESHOLD_SECONDS", String.valueOf(MAX_RUN_SECONDS))
                .env("AIRTABLE_REQUEST_TIMEOUT_SECONDS", String.valueOf(REQUEST_TIMEOUT_SECONDS))
                .env("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "2")
                .env("AIRTABLE_BACKOFF_MAX_MILLIS", "2000")
                .env("AIRTABLE_RATE_LIMIT_WAIT_SECONDS", "5")
                .env("FIRESTORE_CALL_TIMEOUT_SECONDS", String.valueOf(FIRESTORE_CALL_SECONDS))
                .env("INTEGRITY_SCHEDULE_MIN_INTERVAL_SECONDS", String.valueOf(SWEEP_SECONDS))
                .jvmArg("-XX:+ExitOnOutOfMemoryError");
    }

    private synchronized RunnerJar start(String runnerId, boolean isSteady) {
        String name = "soak-" + (++starts) + "-" + runnerId;
        RunnerJar jar = builder().env("INTEGRITY_RUNNER_ID", runnerId).start(name);
        all.add(jar);
        Timeline.Proc proc = timeline.started(name, runnerId, isSteady);
        if (isSteady) {
            steady = jar;
            steadyProc = proc;
        } else {
            second = jar;
            secondProc = proc;
        }
        return jar.awaitReady(START_DEADLINE);
    }

    RunnerJar startSteady() {
        return start("soak-steady", true);
    }

    /** Waits until the process logged a route for each of the {@code schedules} and marks it active. */
    void awaitSchedules(boolean isSteady, int schedules) {
        RunnerJar jar = isSteady ? steady : second;
        Timeline.Proc proc = isSteady ? steadyProc : secondProc;
        await().atMost(START_DEADLINE).pollInterval(Duration.ofMillis(200))
                .failFast("runner " + proc.name + " exited", () -> !jar.isAlive())
                .until(() -> jar.log().split(" fires on '", -1).length - 1 >= schedules);
        // a schedule's first firing comes at least FIRST_FIRING_DELAY after its route is added: a firing due before
        // then is not owed (seen on a loaded box: a job scheduled at :39.537 logged "Next fire date" :45, not :40)
        proc.active = Instant.now().plus(FIRST_FIRING_DELAY);
    }

    /**
     * The schedule template's {@code triggerStartDelay} (1.5 s, in schedule-template.camel.yaml) less the up to 1 s
     * Quartz may fire before a trigger's start.
     */
    static final Duration FIRST_FIRING_DELAY = Duration.ofMillis(500);

    /** The logs of every runner process of this soak, each as it is now. */
    synchronized List<String> logs() {
        return all.stream().map(RunnerJar::log).toList();
    }

    boolean secondUp() {
        return second != null && second.isAlive() && secondProc.died == null;
    }

    /** Starts the second runner under a new id, or under its last id when {@code sameId}. */
    void startSecond(boolean sameId, int schedules) {
        if (!sameId || secondId == null) {
            secondId = "soak-second-" + (starts + 1);
        }
        start(secondId, false);
        awaitSchedules(false, schedules);
    }

    void killSecond() throws IOException, InterruptedException {
        signal(second.pid(), "KILL");
        secondProc.died = Instant.now();
        secondProc.killed = true;
        second.awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM to the second runner; returns when it has exited (its live runs end {@code cancelled}). */
    Instant stopSecond() throws InterruptedException {
        second.sigterm();
        Instant sent = Instant.now();
        secondProc.died = sent;
        second.awaitExit(Duration.ofSeconds(20));
        return sent;
    }

    /** SIGSTOP for {@code duration}, then SIGCONT; records the suspension. Samples of the steady runner wait. */
    void suspend(boolean isSteady, Duration duration) throws IOException, InterruptedException {
        if (isSteady) {
            synchronized (signals) {
                suspend(steady, steadyProc, duration);
            }
        } else {
            suspend(second, secondProc, duration);
        }
    }

    private static void suspend(RunnerJar jar, Timeline.Proc proc, Duration duration)
            throws IOException, InterruptedException {
        signal(jar.pid(), "STOP");
        Instant from = Instant.now();
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } finally {
            signal(jar.pid(), "CONT");
            proc.suspended(new Timeline.Window(from, Instant.now()));
        }
    }

    /** A sample of the steady runner, never taken while it is suspended. */
    ProcessSampler.Sample sampleSteady(double seconds) {
        synchronized (signals) {
            return steady.isAlive() ? ProcessSampler.sample(steady.pid(), seconds) : null;
        }
    }

    RunnerJar steady() {
        return steady;
    }

    private static void signal(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** Stops every runner started here: SIGCONT first (a stopped process ignores SIGTERM), then SIGTERM, then kill. */
    @Override
    public void close() {
        List<RunnerJar> all;
        synchronized (this) {
            all = List.copyOf(this.all);
        }
        for (RunnerJar jar : all) {
            if (jar.isAlive()) {
                try {
                    signal(jar.pid(), "CONT");
                } catch (IOException | InterruptedException ignored) {
                    // it may have exited meanwhile
                }
                jar.sigterm();
            }
        }
        for (RunnerJar jar : all) {
            try {
                if (jar.awaitExit(Duration.ofSeconds(15)) == null) {
                    jar.close();
                }
            } catch (InterruptedException e) {
                jar.close();
                Thread.currentThread().interrupt();
            }
        }
        all.forEach(RunnerJar::close);
    }
}
