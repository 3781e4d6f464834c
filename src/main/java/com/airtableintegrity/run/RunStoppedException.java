package com.airtableintegrity.run;

/** Thrown inside a run's branches once the run has stopped (deadline, cancellation, fencing or failure elsewhere). */
public class RunStoppedException extends RuntimeException {
    private final RunContext.StopKind kind;

    public RunStoppedException(RunContext.StopKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public RunContext.StopKind kind() {
        return kind;
    }
}
