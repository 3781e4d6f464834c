package com.airtableintegrity.run;

/** The exchange properties the run's routes carry, named in one place. */
public final class RunExchange {
    /** The {@link RunContext} of the run the exchange belongs to. */
    public static final String RUN = "integrityRun";
    /** The table being paged, a {@link FailureSite} (set by the scan route for its branch). */
    public static final String SCAN = "integrityTableScan";
    /** Optional, set by the caller of route {@code integrity-run}: the run's {@link ScanPlan} (else the default). */
    public static final String PLAN = "integrityScanPlan";
    /** Property: the run's baseline ({@code IssueStates.Baseline}), read when the run starts. */
    public static final String BASELINE = "integrityBaseline";
    /**
     * Milliseconds the run waits before its first request: the rest of one throttle period after another runner's
     * run of the base ended, else 0 (set by {@code runLifecycle.open}).
     */
    public static final String HANDOFF_DELAY_MS = "integrityHandoffDelayMs";

    private RunExchange() {
    }
}
