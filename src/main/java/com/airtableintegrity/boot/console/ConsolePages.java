package com.airtableintegrity.boot.console;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.util.UriComponentsBuilder;

import com.airtableintegrity.api.QueryString;
import com.airtableintegrity.api.RunsApi;
import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.store.RunReads;

/**
 * The console's pages, server-rendered (templates/console/): the runs list at {@code /} and a run's detail at
 * {@code /runs/{runId}}, each with a fragment endpoint under {@code /fragments/} that the page's script polls to swap
 * its live parts, and a schedule's page at {@code /schedules/{scheduleId}}. Parameters come from the query string
 * only and are checked (by {@link RunsApi} and {@link SchedulesApi}, or {@link IssueTab} for {@code tab}) before any
 * Firestore call; a refusal is answered in the JSON error shape ({@link ConsoleErrors}).
 */
@Controller
public class ConsolePages {
    /** Runs on one page of the list. */
    static final int PAGE_SIZE = 50;
    /** Stored issues on one page of a run's detail. */
    static final int ISSUE_PAGE_SIZE = 100;
    /** The runs of a schedule its page charts and lists, the newest. */
    static final int SCHEDULE_RUNS = 50;
    private static final List<String> RUN_PARAMETERS = List.of("limit", "after", "tab");

    /** A tab above a run's issues: {@code current} is the one shown ({@code aria-current="page"}). */
    public record TabLink(String id, String label, String href, boolean current) {
    }

    private final RunsApi runsApi;
    private final SchedulesApi schedulesApi;
    private final RunReads reads;
    private final ConsoleModel console;

    public ConsolePages(RunsApi runsApi, SchedulesApi schedulesApi, RunReads reads, ConsoleModel console) {
        this.runsApi = runsApi;
        this.schedulesApi = schedulesApi;
        this.reads = reads;
        this.console = console;
    }

    /** {@code GET /?status=&base=&before=&limit=}: runs newest first, the sweep, the schedules. */
    @GetMapping("/")
    public String runs(HttpServletRequest request, Model model) {
        listing(request, model);
        model.addAttribute("statuses", RunsApi.STATUSES.stream()
                .map(s -> Map.of("value", s, "label", Display.statusLabel(s))).toList());
        model.addAttribute("schedules", console.schedules());
        return "console/runs";
    }

    /** {@code GET /fragments/runs}, same parameters: the live parts of {@code /} (rows, pager, sweep). */
    @GetMapping("/fragments/runs")
    public String runsLive(HttpServletRequest request, Model model) {
        listing(request, model);
        return "console/runs-live";
    }

    /**
     * {@code GET /runs/{runId}?tab=&after=&limit=}: the run, and a page of the issues of its tab: all its stored
     * issues (no {@code tab}), the new ones ({@code tab=new}) or the resolved ones ({@code tab=resolved}).
     */
    @GetMapping("/runs/{runId}")
    public String run(@PathVariable String runId, HttpServletRequest request, Model model) {
        String query = request.getQueryString();
        IssueTab tab = IssueTab.of(QueryString.only(query, RUN_PARAMETERS).get("tab"));
        RunsApi.IssueListing listing = tab == IssueTab.RESOLVED
                ? runsApi.resolvedListing(runId, tab.listingQuery(query), ISSUE_PAGE_SIZE)
                : runsApi.issueListing(runId, tab.listingQuery(query), ISSUE_PAGE_SIZE);
        RunView run = console.run(listing.run());
        model.addAttribute("run", run);
        model.addAttribute("tab", tab.value());
        model.addAttribute("tabs", Stream.of(IssueTab.values()).map(t -> new TabLink("tab-" + t.value(), t.label(),
                issuesLink(listing.runId(), t, null, listing.limit()), t == tab)).toList());
        model.addAttribute("issues", listing.issues().stream().map(i -> IssueView.of(i, run.startedAt())).toList());
        model.addAttribute("firstIssuesLink", listing.after() == null ? null
                : issuesLink(listing.runId(), tab, null, listing.limit()));
        model.addAttribute("nextIssuesLink", listing.next() == null ? null
                : issuesLink(listing.runId(), tab, listing.next(), listing.limit()));
        model.addAttribute("pollUrl", "/fragments/runs/" + listing.runId());
        return "console/run";
    }

    /** {@code GET /fragments/runs/{runId}}: the live parts of a run's detail (status, counters, results, Cancel). */
    @GetMapping("/fragments/runs/{runId}")
    public String runLive(@PathVariable String runId, HttpServletRequest request, Model model) {
        QueryString.only(request.getQueryString(), List.of());
        model.addAttribute("run", console.run(runsApi.get(runId)));
        return "console/run-live";
    }

    /**
     * {@code GET /schedules/{scheduleId}}: the schedule (as {@code GET /api/schedules/{id}} has it: 404 when there
     * is none), and its last {@value #SCHEDULE_RUNS} runs charted and listed.
     */
    @GetMapping("/schedules/{scheduleId}")
    public String schedule(@PathVariable String scheduleId, HttpServletRequest request, Model model) {
        QueryString.only(request.getQueryString(), List.of());
        ConsoleModel.ScheduleView schedule = ConsoleModel.ScheduleView.of(schedulesApi.get(scheduleId));
        List<Map<String, Object>> runs = reads.pages().runsOfSchedule(schedule.id(), SCHEDULE_RUNS);
        model.addAttribute("schedule", schedule);
        model.addAttribute("runs", console.runs(runs));
        model.addAttribute("chart", ScheduleChart.of(schedule.id(), runs));
        model.addAttribute("drift", runs.isEmpty() ? List.of() : RunView.DriftRow.of(runs.get(0)));
        return "console/schedule";
    }

    private void listing(HttpServletRequest request, Model model) {
        RunsApi.Listing listing = runsApi.listing(request.getQueryString(), PAGE_SIZE);
        String status = listing.status();
        String base = listing.base();
        model.addAttribute("runs", console.runs(listing.runs()));
        model.addAttribute("status", status);
        model.addAttribute("base", base);
        List<String> bases = listing.bases().stream().map(b -> String.valueOf(b.get("base_id"))).toList();
        model.addAttribute("bases", base == null || bases.contains(base) ? bases
                : Stream.concat(bases.stream(), Stream.of(base)).toList());
        model.addAttribute("newestLink", listing.before() == null ? null
                : ConsoleModel.runsLink("/", status, base, null, listing.limit()));
        model.addAttribute("olderLink", listing.next() == null ? null
                : ConsoleModel.runsLink("/", status, base, listing.next(), listing.limit()));
        model.addAttribute("pollUrl",
                ConsoleModel.runsLink("/fragments/runs", status, base, listing.before(), listing.limit()));
        model.addAttribute("sweep", console.sweep());
        model.addAttribute("sweepCron", console.sweepCron());
    }

    private static String issuesLink(String runId, IssueTab tab, String after, int limit) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/runs/" + runId);
        if (tab != IssueTab.ALL) {
            link.queryParam("tab", tab.value());
        }
        if (after != null) {
            link.queryParam("after", after);
        }
        if (limit != ISSUE_PAGE_SIZE) {
            link.queryParam("limit", limit);
        }
        return link.encode().build().toUriString();
    }
}
