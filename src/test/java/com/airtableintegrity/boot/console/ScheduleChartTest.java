package com.airtableintegrity.boot.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.airtableintegrity.store.RunCollection;

/** The geometry of a schedule's chart: oldest run on the left, a round top to the y axis, gaps for missing counts. */
class ScheduleChartTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private static Map<String, Object> run(String id, int hoursAfterT0, Long found, Long fresh, Long resolved) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", id);
        run.put("started_at", RunCollection.toTimestamp(T0.plusSeconds(3600L * hoursAfterT0)));
        if (found != null) {
            run.put("issues_found", found);
        }
        if (fresh != null) {
            run.put("issues_new", fresh);
            run.put("issues_resolved", resolved);
        }
        return run;
    }

    @Test
    void theOldestRunIsOnTheLeftAndTheLargestCountBelowTheRoundTop() {
        ScheduleChart chart = ScheduleChart.of("nightly", List.of(run("c", 2, 40L, 5L, 0L),
                run("b", 1, 35L, 0L, 3L), run("a", 0, 38L, null, null)));

        assertThat(chart.series()).extracting(ScheduleChart.Series::cssClass)
                .containsExactly("series-found", "series-new", "series-resolved");
        assertThat(chart.series().get(0).points()).isEqualTo("64.0,66.2 384.0,76.8 704.0,59.2");
        assertThat(chart.series().get(0).dots()).extracting(ScheduleChart.Point::title)
                .containsExactly("a: 38 issues found", "b: 35 issues found", "c: 40 issues found");
        assertThat(chart.series().get(1).points()).isEqualTo("384.0,200.0 704.0,182.4");
        assertThat(chart.ticks()).extracting(ScheduleChart.Tick::label).containsExactly("0", "25", "50");
        assertThat(chart.oldest()).isEqualTo("2026-12-01 06:00 UTC");
        assertThat(chart.newest()).isEqualTo("2026-12-01 08:00 UTC");
        assertThat(chart.ariaLabel()).isEqualTo("Issues found, new and resolved in the last 3 runs of schedule "
                + "nightly, oldest on the left; the axis goes from 0 to 50");
    }

    @Test
    void aSingleRunIsDrawnInTheMiddle() {
        ScheduleChart chart = ScheduleChart.of("nightly", List.of(run("a", 0, 0L, 0L, 0L)));

        assertThat(chart.series().get(0).points()).isEqualTo("384.0,200.0");
        assertThat(chart.ticks()).extracting(ScheduleChart.Tick::label).containsExactly("0", "1");
    }

    @Test
    void theTopOfTheAxisIsOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(List.of(0L, 1L, 2L, 3L, 5L, 6L, 10L, 11L, 40L, 51L, 1234L).stream().map(ScheduleChart::roundUp))
                .containsExactly(1L, 1L, 2L, 5L, 5L, 10L, 10L, 20L, 50L, 100L, 2000L);
    }
}
