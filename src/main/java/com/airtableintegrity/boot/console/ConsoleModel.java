package com.airtableintegrity.boot.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.web.util.UriComponentsBuilder;

import com.airtableintegrity.run.HungRunSweeper;
import com.airtableintegrity.run.ScheduleCatalog;

/**
 * What the console shows beside the runs, ready to print: the schedules (from {@link ScheduleCatalog}, as the REST
 * API lists them) and this process's last sweep ({@link HungRunSweeper#lastSweep()}); and the links of the runs list.
 */
public final class ConsoleModel {
    /** Marked runs listed under the last sweep; the count says how many more there were. */
    static final int MAX_MARKED_SHOWN = 50;

    /** A schedule's line: the configured one ({@code default}, from application.yaml) cannot be changed here. */
    public record ScheduleView(String id, String name, String baseId, String cron, String timeZone,
                               List<String> tables, boolean enabled, boolean configured, String notApplied) {
        /** The line of a schedule as {@code GET /api/schedules/{id}} renders it. */
        static ScheduleView of(Map<String, Object> schedule) {
            List<String> tables = schedule.get("tables") instanceof List<?> l ? l.stream()
                    .map(t -> t instanceof Map<?, ?> table ? Display.text(table.get("name")) : Display.text(t))
                    .toList() : List.of();
            return new ScheduleView(Display.text(schedule.get("id")), Display.text(schedule.get("name")),
                    Display.text(schedule.get("base_id")), Display.text(schedule.get("cron")),
                    Display.text(schedule.get("time_zone")), tables, Boolean.TRUE.equals(schedule.get("enabled")),
                    "application.yaml".equals(schedule.get("source")),
                    schedule.get("not_applied") instanceof String why ? why : null);
        }
    }

    /**
     * The first {@value #SCHEDULES_SHOWN} schedules by name ({@code more}: there are others, which the REST API pages
     * through), and every stored document this runner does not apply (id → why).
     */
    public record SchedulesView(List<ScheduleView> rows, boolean more, Map<String, String> notApplied) {
    }

    static final int SCHEDULES_SHOWN = 100;

    /** A run the sweep marked and the rule that marked it. */
    public record Marked(String runId, String rule, String reason) {
    }

    /** The last sweep: when, its counts, the runs it marked (at most {@value #MAX_MARKED_SHOWN}), a failure. */
    public record SweepView(Display.Time at, String examined, String markedMaxAge, String markedStaleHeartbeat,
                            String skipped, String failed, String took, List<Marked> marked, int notShown,
                            String failure) {
    }

    private final ScheduleCatalog schedules;
    private final HungRunSweeper sweeper;
    private final String sweepCron;
    private final Clock clock;

    ConsoleModel(ScheduleCatalog schedules, HungRunSweeper sweeper, String sweepCron, Clock clock) {
        this.schedules = schedules;
        this.sweeper = sweeper;
        this.sweepCron = sweepCron;
        this.clock = clock;
    }

    RunView run(Map<String, Object> doc) {
        return new RunView(doc, clock.instant());
    }

    List<RunView> runs(List<Map<String, Object>> docs) {
        return docs.stream().map(this::run).toList();
    }

    SchedulesView schedules() {
        ScheduleCatalog.Page page = schedules.page(null, SCHEDULES_SHOWN);
        Map<String, String> notApplied = schedules.notApplied();
        return new SchedulesView(page.schedules().stream().map(e -> new ScheduleView(e.id(), e.spec().getName(),
                e.spec().getBaseId(), e.spec().getCron(), e.spec().getTimeZone(),
                e.spec().getTables().stream().map(t -> t.getName()).toList(), e.spec().isEnabled(), e.configured(),
                notApplied.get(e.id()))).toList(), page.next() != null, notApplied);
    }

    String sweepCron() {
        return sweepCron;
    }

    /** The last sweep of this process, or null before the first. */
    SweepView sweep() {
        return sweeper.lastSweep().map(report -> {
            HungRunSweeper.SweepResult r = report.result();
            List<Marked> marked = new ArrayList<>();
            report.marked().entrySet().stream().limit(MAX_MARKED_SHOWN).forEach(e ->
                    marked.add(new Marked(e.getKey(), e.getValue(), RunView.sweepReason(e.getValue()))));
            return new SweepView(Display.Time.of(report.at()), Display.number(r.examined()),
                    Display.number(r.markedMaxAge()), Display.number(r.markedStaleHeartbeat()),
                    Display.number(r.skippedNoLongerRunning()), Display.number(r.failed()),
                    Display.duration(r.durationMs()), marked, report.marked().size() - marked.size(),
                    report.failure());
        }).orElse(null);
    }

    /** The runs list under these filters, from cursor {@code before} (null: the newest). */
    static String runsLink(String path, String status, String base, String before, int limit) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath(path);
        if (status != null) {
            link.queryParam("status", status);
        }
        if (base != null) {
            link.queryParam("base", base);
        }
        if (before != null) {
            link.queryParam("before", before);
        }
        if (limit != ConsolePages.PAGE_SIZE) {
            link.queryParam("limit", limit);
        }
        return link.encode().build().toUriString();
    }
}
