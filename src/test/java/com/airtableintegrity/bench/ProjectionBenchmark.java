package com.airtableintegrity.bench;

import static com.airtableintegrity.bench.IntegrityBenchmark.fmt;
import static com.airtableintegrity.bench.IntegrityBenchmark.median;
import static com.airtableintegrity.bench.IntegrityBenchmark.stat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.CamelRunner;

/**
 * Figure 12 of {@link IntegrityBenchmark}: what downloading only the rule fields ({@code fields[]}) saves on a table
 * whose records also carry a 4 KB long text and an attachments array ({@link BenchData#wideRecords}). The baseline
 * is the same runner against a double told to ignore {@code fields[]} (every field comes back, as before the
 * projection). Unthrottled, so records per second is the runner's own rate (transfer, parse, rules).
 */
final class ProjectionBenchmark {
    private static final String TABLE = "Wide";

    private final IntegrityBenchmark bench;

    ProjectionBenchmark(IntegrityBenchmark bench) {
        this.bench = bench;
    }

    void wideRecords() throws Exception {
        int records = 5000 / bench.scale;
        Map<Boolean, List<Double>> bytesPerPage = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
        Map<Boolean, List<Double>> perSecond = Map.of(true, new ArrayList<>(), false, new ArrayList<>());
        try (RemoteDouble d = bench.startDouble()) {
            d.command("wide " + TABLE + " " + records);
            IntegrityProperties p = bench.props(d, List.of(new TableSpec(TABLE, BenchData.wideRules())));
            try (CamelRunner runner = CamelRunner.start(p, c -> { })) {
                for (int round = 0; round <= bench.runs; round++) {
                    for (boolean projected : List.of(false, true)) {
                        d.command("allfields " + !projected);
                        d.command("clearlog");
                        long t0 = System.nanoTime();
                        String runId = runner.runNow();
                        double wall = (System.nanoTime() - t0) / 1e9;
                        Object scanned = runner.reads().read(runId).get("records_scanned");
                        if (!Long.valueOf(records).equals(scanned)) {
                            throw new IllegalStateException("run " + runId + " scanned " + scanned);
                        }
                        List<RemoteDouble.Req> log = d.log();
                        if (round > 0) { // round 0 warms the JVM up
                            bytesPerPage.get(projected).add(log.stream().filter(r -> r.status() == 200)
                                    .mapToInt(RemoteDouble.Req::bodyBytes).average().orElse(0));
                            perSecond.get(projected).add(records / wall);
                        }
                    }
                }
            }
        }
        double saved = 1 - median(bytesPerPage.get(true)) / median(bytesPerPage.get(false));
        double faster = median(perSecond.get(true)) / median(perSecond.get(false));
        String what = "12. Field projection, 1 table × " + records + " records of Name, Email, Status (read by 4 "
                + "rules) + a 4 KB long text + 2 attachments; unthrottled; " + bench.runs + " runs each after 1 warm-up";
        bench.row(what, "bytes per page (100 records), all fields", stat(bytesPerPage.get(false), 0) + " B", "—");
        bench.row("", "bytes per page, fields[] = the rule fields", stat(bytesPerPage.get(true), 0) + " B",
                fmt(saved * 100, 1) + " % less");
        bench.row("", "records / s, all fields", stat(perSecond.get(false), 0), "—");
        bench.row("", "records / s, projected", stat(perSecond.get(true), 0), fmt(faster, 2) + " ×");
    }
}
