package com.airtableintegrity.run;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The aggregation strategy of the run route's split over tables. Table results live in the run's
 * {@link RunContext}, so aggregating only keeps the first exchange. {@link #timeout} is called by the split when the
 * run deadline passes, once for each table that had not finished: it records the table and stops the run, which
 * makes the still-running branches end on their own (Camel does not interrupt them).
 */
public final class TableResultAggregation implements AggregationStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(TableResultAggregation.class);

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        return oldExchange == null ? newExchange : oldExchange;
    }

    @Override
    public void timeout(Exchange exchange, int index, int total, long timeout) {
        try {
            RunContext run = exchange == null ? null : exchange.getProperty(RunExchange.RUN, RunContext.class);
            if (run == null) {
                LOG.warn("Split timed out after {} ms but the run is unknown (table index {})", timeout, index);
                return;
            }
            String table = index < run.tables().size() ? run.tables().get(index) : "#" + index;
            try (var log = RunLogContext.of(run)) {
                run.reportUnfinished(table);
                run.stop(RunContext.StopKind.DEADLINE, run.deadlineMessage());
                LOG.warn("Run {}: deadline of {} ms passed before table '{}' finished", run.runId(), timeout, table);
            }
        } catch (RuntimeException e) {
            LOG.error("Split timeout callback failed", e);
        }
    }
}
