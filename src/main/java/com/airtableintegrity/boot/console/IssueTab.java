package com.airtableintegrity.boot.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.airtableintegrity.diff.RunDiff;

/**
 * The tabs above a run's issue list ({@code ?tab=}): All (the stored issues; no parameter), New (the stored issues
 * of state {@code new}) and Resolved (the baseline's issues the run no longer found). Each is listed by the same
 * {@code RunsApi} call as {@code GET /api/runs/{id}/issues} or {@code .../resolved}, which pages it.
 */
enum IssueTab {
    ALL, NEW, RESOLVED;

    /** The value of {@code ?tab=}. */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    String label() {
        return Display.statusLabel(value());
    }

    /** The tab named by {@code ?tab=}: none or empty is All; anything else is refused (400) naming the parameter. */
    static IssueTab of(String value) {
        if (value == null || value.isEmpty()) {
            return ALL;
        }
        return Arrays.stream(values()).filter(t -> t.value().equals(value)).findFirst()
                .orElseThrow(() -> new ConsoleErrors.Refused(400, "Query parameter 'tab' must be one of "
                        + String.join(", ", Arrays.stream(values()).map(IssueTab::value).toList()) + "; was '"
                        + value + "'"));
    }

    /**
     * The query string of the {@code RunsApi} listing of this tab: the page's own query (already checked) without
     * its {@code tab}, as it came (so the API's refusals quote the values as they were given), and for New,
     * {@code state=new}.
     */
    String listingQuery(String pageQuery) {
        List<String> kept = new ArrayList<>();
        if (pageQuery != null) {
            for (String pair : pageQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (!pair.isEmpty() && !"tab".equals(decode(eq < 0 ? pair : pair.substring(0, eq)))) {
                    kept.add(pair);
                }
            }
        }
        if (this == NEW) {
            kept.add("state=" + RunDiff.NEW);
        }
        return String.join("&", kept);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
