package com.airtableintegrity.run;

/** The exchange properties the run's routes carry, named in one place. */
public final class RunExchange {
    /** The {@link RunContext} of the run the exchange belongs to. */
    public static final String RUN = "integrityRun";
    /** The table being paged, a {@link FailureSite} (set by the scan route for its branch). */
    public static final String SCAN = "integrityTableScan";

    private RunExchange() {
    }
}
