package com.airtableintegrity.run;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;

/**
 * Puts a run's {@code run_id}, {@code base_id} and {@code schedule_id} in the logging MDC while a thread works for
 * the run, and only then: the threads are pooled (Quartz, the table split's pool, the heartbeat timer), so a key left
 * behind would be stamped on the next, unrelated line. As an intercept strategy it wraps every route step: a step of
 * an exchange that carries a run (property {@code integrityRun}) runs with the keys, on whatever thread Camel runs
 * it, and the MDC is restored as it was when the step returns. Work outside the routes (heartbeats, the document
 * listener, the split's timeout callback) opens a {@link #of scope} itself. Not Camel's
 * {@code camel.main.use-mdc-logging}: it names its keys {@code camel.*} and would still need these three set here.
 */
public final class RunLogContext implements InterceptStrategy {
    public static final String RUN_ID = "run_id";
    public static final String BASE_ID = "base_id";
    public static final String SCHEDULE_ID = "schedule_id";
    /** The {@code schedule_id} of a run that comes from no schedule (a manual run of the configured tables). */
    public static final String NO_SCHEDULE = "none";

    private static final String[] KEYS = {RUN_ID, BASE_ID, SCHEDULE_ID};

    /** This thread's MDC keys of a run until {@link #close}, which puts back what was there before. */
    public static final class Scope implements AutoCloseable {
        private final String[] previous = new String[KEYS.length];

        private Scope(RunContext run) {
            String[] values = {run.runId(), run.baseId(),
                    run.scheduleId() == null ? NO_SCHEDULE : run.scheduleId()};
            for (int i = 0; i < KEYS.length; i++) {
                previous[i] = MDC.get(KEYS[i]);
                MDC.put(KEYS[i], values[i]);
            }
        }

        @Override
        public void close() {
            for (int i = 0; i < KEYS.length; i++) {
                if (previous[i] == null) {
                    MDC.remove(KEYS[i]);
                } else {
                    MDC.put(KEYS[i], previous[i]);
                }
            }
        }
    }

    /** Opens the run's keys on this thread: {@code try (var log = RunLogContext.of(run)) { ... }}. */
    public static Scope of(RunContext run) {
        return new Scope(run);
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                RunContext run = exchange.getProperty(RunExchange.RUN, RunContext.class);
                if (run == null) {
                    return processor.process(exchange, callback);
                }
                try (Scope log = of(run)) {
                    return processor.process(exchange, callback);
                }
            }
        };
    }
}
