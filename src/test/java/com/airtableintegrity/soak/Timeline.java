package com.airtableintegrity.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What the chaos driver did and when (wall clock, the runners' clock too): runner processes and fault windows. */
public final class Timeline {

    /** One runner process: from start to death, its schedules active from {@code active}, its suspensions. */
    public static final class Proc {
        final String name;
        final String runnerId;
        final boolean steady;
        final Instant started;
        volatile Instant active;
        volatile Instant died;
        volatile boolean killed;
        final List<Window> suspensions = new ArrayList<>();

        Proc(String name, String runnerId, boolean steady, Instant started) {
            this.name = name;
            this.runnerId = runnerId;
            this.steady = steady;
            this.started = started;
        }

        /** Up with its schedule routes loaded and not suspended at {@code t}. */
        synchronized boolean liveAt(Instant t) {
            if (active == null || t.isBefore(active) || (died != null && !t.isBefore(died))) {
                return false;
            }
            return suspensions.stream().noneMatch(w -> w.contains(t));
        }

        synchronized List<Window> suspensionsCopy() {
            return List.copyOf(suspensions);
        }

        synchronized void suspended(Window w) {
            suspensions.add(w);
        }
    }

    /** A half-open interval {@code [from, to)}. */
    public record Window(Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }

        boolean overlaps(Instant a, Instant b) {
            return a.isBefore(to) && from.isBefore(b);
        }
    }

    /** A fault as injected: its kind, what exactly, and when. */
    public record Fault(ChaosPlan.Kind kind, String what, Window window) {
    }

    private final List<Proc> procs = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private final Map<ChaosPlan.Kind, Integer> counts = new EnumMap<>(ChaosPlan.Kind.class);
    private final Map<String, Integer> airtableFaults = new java.util.TreeMap<>();
    private volatile Instant schedulesDisabled;

    synchronized Proc started(String name, String runnerId, boolean steady) {
        Proc p = new Proc(name, runnerId, steady, Instant.now());
        procs.add(p);
        return p;
    }

    synchronized void fault(ChaosPlan.Kind kind, String what, Instant from, Instant to) {
        faults.add(new Fault(kind, what, new Window(from, to)));
        counts.merge(kind, 1, Integer::sum);
        if (kind == ChaosPlan.Kind.AIRTABLE_FAULT) {
            airtableFaults.merge(what.split(" ")[0], 1, Integer::sum);
        }
    }

    void schedulesDisabled(Instant at) {
        schedulesDisabled = at;
    }

    Instant schedulesDisabled() {
        return schedulesDisabled;
    }

    synchronized List<Proc> procs() {
        return List.copyOf(procs);
    }

    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    synchronized Map<ChaosPlan.Kind, Integer> counts() {
        return new EnumMap<>(counts);
    }

    synchronized Map<String, Integer> airtableFaultCounts() {
        return new java.util.TreeMap<>(airtableFaults);
    }

    /** Whether some runner was live (schedules loaded, not suspended) at {@code t}. */
    boolean anyLive(Instant t) {
        return procs().stream().anyMatch(p -> p.liveAt(t));
    }
}
