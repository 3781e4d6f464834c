package com.airtableintegrity.run;

import java.util.List;
import java.util.Objects;

import com.airtableintegrity.config.TableSpec;

/**
 * What one run scans: a base and its tables with their rules. The configured base and tables are the default plan;
 * a caller of route {@code integrity-run} may hand another one in exchange property {@link RunExchange#PLAN}, so
 * that runs of several bases (each under its own per-base throttle and lock) can go side by side.
 */
public record ScanPlan(String baseId, List<TableSpec> tables, String scheduleId) {
    /** A plan of no schedule document. */
    public ScanPlan(String baseId, List<TableSpec> tables) {
        this(baseId, tables, null);
    }

    public ScanPlan {
        Objects.requireNonNull(baseId, "baseId");
        tables = List.copyOf(tables);
    }

    public List<String> tableNames() {
        return tables.stream().map(TableSpec::getName).toList();
    }
}
