package com.airtableintegrity.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.store.HungRunQueries;
import com.airtableintegrity.store.RunTransactions;

/**
 * At startup, closes the runs that a previous process of this same runner left {@code running} when it died:
 * they end {@code error} with "runner restarted", at once, instead of waiting for the hung-run sweep. Only runs
 * started before this object was made (at startup, before any route) count: a run this process starts while recovery
 * is under way is in Firestore before it is in the registry, and was once closed as an orphan that way (a manual run
 * started at once after startup, seen on a busy machine).
 */
public final class StartupRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(StartupRecovery.class);

    private final HungRunQueries queries;
    private final RunTransactions store;
    private final RunRegistry registry;
    private final String runnerId;
    private final Instant processStart;

    public StartupRecovery(HungRunQueries queries, RunTransactions store, RunRegistry registry, String runnerId) {
        this.queries = queries;
        this.store = store;
        this.registry = registry;
        this.runnerId = runnerId;
        this.processStart = queries.clock().instant();
    }

    /** @return how many orphaned runs were closed */
    public int recover() {
        List<String> orphans = queries.findRunningRunsOf(runnerId, processStart).stream()
                .filter(id -> registry.find(id).isEmpty())
                .toList();
        int closed = 0;
        for (String runId : orphans) {
            RunTransactions.FinishOutcome outcome = store.finishIfRunning(runId, "error",
                    "Runner restarted: runner '" + runnerId + "' started again while this run was still marked running",
                    Map.of("recovered_by", runnerId));
            if (outcome.applied()) {
                closed++;
            }
        }
        LOG.info("Startup recovery for runner '{}': {} orphaned run(s) found, {} closed as error", runnerId,
                orphans.size(), closed);
        return closed;
    }
}
