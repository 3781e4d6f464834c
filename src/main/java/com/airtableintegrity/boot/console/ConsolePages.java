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

/**
 * The console's pages, server-rendered (templates/console/): the runs list at {@code /} and a run's detail at
 * {@code /runs/{runId}}, each with a fragment endpoint under {@code /fragments/} that the page's script polls to swap
 * its live parts. Parameters come from the query string only and are checked by {@link RunsApi} before any
 * Firestore call; a refusal is answered in the JSON error shape ({@link ConsoleErrors}).
 */
@Controller
public class ConsolePages {
    /** Runs on one page of the list. */
    static final int PAGE_SIZE = 50;
    /** Stored issues on one page of a run's detail. */
    static final int ISSUE_PAGE_SIZE = 100;

    private final RunsApi runsApi;
    private final ConsoleModel console;

    public ConsolePages(RunsApi runsApi, ConsoleModel console) {
        this.runsApi = runsApi;
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

    /** {@code GET /runs/{runId}?after=&limit=}: the run, and a page of its stored issues. */
    @GetMapping("/runs/{runId}")
    public String run(@PathVariable String runId, HttpServletRequest request, Model model) {
        RunsApi.IssueListing listing = runsApi.issueListing(runId, request.getQueryString(), ISSUE_PAGE_SIZE);
        model.addAttribute("run", console.run(listing.run()));
        model.addAttribute("issues", listing.issues());
        model.addAttribute("firstIssuesLink", listing.after() == null ? null
                : issuesLink(listing.runId(), null, listing.limit()));
        model.addAttribute("nextIssuesLink", listing.next() == null ? null
                : issuesLink(listing.runId(), listing.next(), listing.limit()));
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

    private static String issuesLink(String runId, String after, int limit) {
        UriComponentsBuilder link = UriComponentsBuilder.fromPath("/runs/" + runId);
        if (after != null) {
            link.queryParam("after", after);
        }
        if (limit != ISSUE_PAGE_SIZE) {
            link.queryParam("limit", limit);
        }
        return link.encode().build().toUriString();
    }
}
