package com.airtableintegrity.demo;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault the sample base plays on one table's list requests, switched by {@code DEMO_FAULT} at start and by
 * {@code POST /api/demo/fault} at run time. Syntax: {@code none}, or {@code hang:<table>} (the request is accepted
 * and never answered), {@code drip:<table>} (200 and then one byte a second, never complete) or
 * {@code 503:<table>} (503 SERVICE_UNAVAILABLE, which the runner retries and then gives up on).
 */
public final class DemoFaults {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFaults.class);

    /** What a faulted request gets. */
    public enum Mode { NONE, HANG, DRIP, UNAVAILABLE }

    /** One fault; {@link #none()} plays none. */
    public record Fault(Mode mode, String table) {
        static Fault none() {
            return new Fault(Mode.NONE, "");
        }

        boolean hits(String requestedTable) {
            return mode != Mode.NONE && table.equals(requestedTable);
        }

        /** The switch's own syntax, e.g. {@code 503:Orders}. */
        @Override
        public String toString() {
            return switch (mode) {
                case NONE -> "none";
                case HANG -> "hang:" + table;
                case DRIP -> "drip:" + table;
                case UNAVAILABLE -> "503:" + table;
            };
        }
    }

    private final List<String> tables;
    private volatile Fault current = Fault.none();

    public DemoFaults(List<String> tables) {
        this.tables = List.copyOf(tables);
    }

    /**
     * Parses the switch's syntax.
     * @throws IllegalArgumentException naming what is allowed
     */
    public Fault parse(String text) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty() || value.equalsIgnoreCase("none")) {
            return Fault.none();
        }
        int colon = value.indexOf(':');
        String table = colon < 0 ? "" : value.substring(colon + 1).trim();
        Mode mode = colon < 0 ? null : switch (value.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
            case "hang" -> Mode.HANG;
            case "drip" -> Mode.DRIP;
            case "503" -> Mode.UNAVAILABLE;
            default -> null;
        };
        if (mode == null || !tables.contains(table)) {
            throw new IllegalArgumentException("DEMO_FAULT '" + cut(value) + "' is not one of: none, hang:<table>, "
                    + "drip:<table>, 503:<table>, with <table> one of " + tables);
        }
        return new Fault(mode, table);
    }

    /** Switches to {@code fault} (logged). */
    public Fault set(Fault fault) {
        Fault before = current;
        current = fault;
        synchronized (this) {
            notifyAll(); // ends the hangs and drips of the fault before
        }
        if (!before.equals(fault)) {
            LOG.warn("Demo fault switched from {} to {}", before, fault);
        }
        return fault;
    }

    public Fault current() {
        return current;
    }

    /**
     * Waits until the fault changes from {@code fault} or {@code max} has passed; false when it changed (or the
     * thread was interrupted, as when the sample base stops).
     */
    boolean holdWhile(Fault fault, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            while (current == fault) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static String cut(String text) {
        String printable = text.replaceAll("[^\\p{Graph} ]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
