package com.airtableintegrity.boot.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart of a schedule's page, drawn by the server as inline SVG (templates/console/schedule.html): the issues
 * found, new and resolved of the schedule's last runs, one polyline each, oldest run on the left. Each run has its
 * place on the x axis; a series has a point (and a dot with its value on hover) for every run whose document has
 * that count, so a run still running, or one written before the run-to-run diff, leaves a gap. The y axis runs from
 * 0 to a round maximum (1, 2 or 5 times a power of ten) at or above the largest count.
 */
public record ScheduleChart(String ariaLabel, List<Series> series, List<Tick> ticks, String oldest, String newest) {
    /** The SVG's size (its viewBox) and the plot area inside it, in SVG units. */
    public static final int WIDTH = 720;
    public static final int HEIGHT = 270;
    public static final int LEFT = 64;
    public static final int RIGHT = WIDTH - 16;
    public static final int TOP = 24;
    public static final int BOTTOM = 200;
    private static final DateTimeFormatter RUN_START =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A drawn point: its coordinates and the text shown on hover. */
    public record Point(String x, String y, String title) {
    }

    /**
     * One line of the chart: its legend name, its CSS class ({@code series-found}, {@code series-new},
     * {@code series-resolved}), the {@code points} of its polyline, its dots, and where its legend entry starts.
     */
    public record Series(String name, String cssClass, String points, List<Point> dots, int legendX) {
    }

    /** A label of the y axis at height {@code y}. */
    public record Tick(String y, String label) {
    }

    private record Line(String name, String key, String cssClass) {
        String hover() {
            return name.toLowerCase(Locale.ROOT);
        }
    }

    private static final List<Line> LINES = List.of(new Line("Issues found", "issues_found", "series-found"),
            new Line("New", "issues_new", "series-new"), new Line("Resolved", "issues_resolved", "series-resolved"));

    /** The chart of these runs of schedule {@code scheduleId}, given newest first (as the store reads them). */
    static ScheduleChart of(String scheduleId, List<Map<String, Object>> newestFirst) {
        List<Map<String, Object>> runs = new ArrayList<>(newestFirst);
        Collections.reverse(runs);
        long max = 0;
        for (Map<String, Object> run : runs) {
            for (Line line : LINES) {
                if (run.get(line.key()) instanceof Number n) {
                    max = Math.max(max, n.longValue());
                }
            }
        }
        long top = roundUp(max);
        List<Series> series = new ArrayList<>();
        for (int s = 0; s < LINES.size(); s++) {
            Line line = LINES.get(s);
            List<Point> dots = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (runs.get(i).get(line.key()) instanceof Number n) {
                    dots.add(new Point(coordinate(x(i, runs.size())), coordinate(y(n.longValue(), top)),
                            runs.get(i).get("id") + ": " + Display.number(n) + " " + line.hover()));
                }
            }
            series.add(new Series(line.name(), line.cssClass(),
                    String.join(" ", dots.stream().map(p -> p.x() + "," + p.y()).toList()), dots, LEFT + s * 160));
        }
        List<Tick> ticks = new ArrayList<>();
        ticks.add(new Tick(coordinate(y(0, top)), "0"));
        if (top % 2 == 0) {
            ticks.add(new Tick(coordinate(y(top / 2, top)), Display.number(top / 2)));
        }
        ticks.add(new Tick(coordinate(y(top, top)), Display.number(top)));
        String label = "Issues found, new and resolved in the last " + runs.size() + " runs of schedule " + scheduleId
                + ", oldest on the left; the axis goes from 0 to " + Display.number(top);
        return new ScheduleChart(label, series, ticks, runs.isEmpty() ? "" : started(runs.get(0)),
                runs.isEmpty() ? "" : started(runs.get(runs.size() - 1)));
    }

    // The frame, for the template (which cannot read static fields).

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }

    public int left() {
        return LEFT;
    }

    public int right() {
        return RIGHT;
    }

    public int top() {
        return TOP;
    }

    public int bottom() {
        return BOTTOM;
    }

    /** The smallest of 1, 2, 5, 10, 20, 50, ... at or above {@code value}. */
    static long roundUp(long value) {
        long power = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * power >= value) {
                    return m * power;
                }
            }
            power *= 10;
        }
    }

    private static double x(int index, int count) {
        return count == 1 ? (LEFT + RIGHT) / 2.0 : LEFT + (double) index * (RIGHT - LEFT) / (count - 1);
    }

    private static double y(long value, long top) {
        return BOTTOM - (double) value * (BOTTOM - TOP) / top;
    }

    private static String coordinate(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String started(Map<String, Object> run) {
        Instant at = Display.instant(run.get("started_at"));
        return at == null ? "" : RUN_START.format(at);
    }
}
