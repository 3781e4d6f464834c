package com.airtableintegrity.run;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The runs alive in this process, by run id: what JMX cancels and what the run route finishes. */
public final class RunRegistry {
    private final Map<String, RunContext> runs = new ConcurrentHashMap<>();

    public void register(RunContext run) {
        runs.put(run.runId(), run);
    }

    public void remove(RunContext run) {
        runs.remove(run.runId(), run);
    }

    public Optional<RunContext> find(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    public Collection<RunContext> active() {
        return List.copyOf(runs.values());
    }
}
