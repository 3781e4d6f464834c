package com.airtableintegrity.soak;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.airtableintegrity.faults.TcpProxy;
import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.Fault;

/** Plays a {@link ChaosPlan}'s episodes, one after the other, and records each in the {@link Timeline}. */
final class ChaosDriver {
    private final ChaosPlan plan;
    private final Runners runners;
    private final AirtableDouble airtable;
    private final TcpProxy airtableProxy;
    private final TcpProxy firestoreProxy;
    private final Timeline timeline;
    private final int schedules;

    ChaosDriver(ChaosPlan plan, Runners runners, AirtableDouble airtable, TcpProxy airtableProxy,
                TcpProxy firestoreProxy, Timeline timeline, int schedules) {
        this.plan = plan;
        this.runners = runners;
        this.airtable = airtable;
        this.airtableProxy = airtableProxy;
        this.firestoreProxy = firestoreProxy;
        this.timeline = timeline;
        this.schedules = schedules;
    }

    /** Plays every episode at its time after {@code start}, then waits for the plan's end. */
    void play(long startNanos) throws IOException, InterruptedException {
        for (ChaosPlan.Episode e : plan.episodes()) {
            sleepUntil(startNanos + e.at().toNanos());
            System.out.println("[soak] " + e);
            play(e);
        }
        sleepUntil(startNanos + plan.length().toNanos());
    }

    private void play(ChaosPlan.Episode e) throws IOException, InterruptedException {
        Instant from = Instant.now();
        switch (e.kind()) {
            case SUSPEND -> {
                boolean steady = !"second".equals(e.param()) || !runners.secondUp();
                runners.suspend(steady, e.duration());
                timeline.fault(e.kind(), steady ? "steady" : "second", from, Instant.now());
            }
            case KILL -> kill(e);
            case AIRTABLE_CUT -> proxy(e, airtableProxy, false);
            case AIRTABLE_BLACKHOLE -> proxy(e, airtableProxy, true);
            case FIRESTORE_CUT -> proxy(e, firestoreProxy, false);
            case FIRESTORE_BLACKHOLE -> proxy(e, firestoreProxy, true);
            case AIRTABLE_FAULT -> {
                String[] what = e.param().split(" on ");
                String[] names = what[0].split(",");
                for (String name : names) {
                    Instant since = Instant.now();
                    Fault f = fault(name);
                    airtable.fault("all".equals(what[1]) ? f : f.onBase(what[1]));
                    try {
                        hold(e.duration().dividedBy(names.length));
                    } finally {
                        airtable.clearFaults();
                    }
                    timeline.fault(e.kind(), name + " on " + what[1], since, Instant.now());
                }
            }
            case SECOND_RUNNER -> {
                if (runners.secondUp()) {
                    Instant sent = runners.stopSecond();
                    timeline.fault(e.kind(), "stop (SIGTERM)", sent, Instant.now());
                } else {
                    runners.startSecond(false, schedules);
                    timeline.fault(e.kind(), "start", from, from);
                }
            }
            case QUIET -> hold(e.duration());
        }
    }

    /** SIGKILL the second runner (started first if it is down), restart it after the episode's duration. */
    private void kill(ChaosPlan.Episode e) throws IOException, InterruptedException {
        if (!runners.secondUp()) {
            runners.startSecond(false, schedules);
            hold(Duration.ofSeconds(3));
        }
        Instant killed = Instant.now();
        runners.killSecond();
        hold(e.duration());
        runners.startSecond("same-id".equals(e.param()), schedules);
        timeline.fault(e.kind(), e.param(), killed, Instant.now());
    }

    private void proxy(ChaosPlan.Episode e, TcpProxy proxy, boolean blackhole) throws IOException,
            InterruptedException {
        Instant from = Instant.now();
        if (blackhole) {
            proxy.stall();
        } else {
            proxy.cut();
        }
        try {
            hold(e.duration());
        } finally {
            proxy.restore();
        }
        timeline.fault(e.kind(), "", from, Instant.now());
    }

    /** The double's fault of that name ({@link ChaosPlan#AIRTABLE_FAULTS}), on every matching request. */
    static Fault fault(String name) {
        return switch (name) {
            case "hang" -> Fault.neverAnswer().always();
            case "headers-then-hang" -> Fault.headersThenHang().always();
            case "drip" -> Fault.drip(Duration.ofMillis(500)).always();
            case "slow" -> Fault.slow(Duration.ofSeconds(3)).always();
            case "500", "502", "503" -> Fault.status(Integer.parseInt(name)).always();
            case "reset" -> Fault.reset().always();
            case "truncated" -> Fault.truncated().always();
            case "malformed" -> Fault.malformedJson().always();
            case "429-storm" -> Fault.tooManyRequests(null).always();
            case "expired-offsets" -> Fault.expireIteration().onPage(2).times(3);
            default -> throw new IllegalArgumentException("unknown fault " + name);
        };
    }

    /** The chaos driver's own schedule: an episode lasts its planned time. */
    private static void hold(Duration d) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(d.toMillis());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
