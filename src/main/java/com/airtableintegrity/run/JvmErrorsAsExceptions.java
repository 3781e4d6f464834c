package com.airtableintegrity.run;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Turns a JVM error thrown by a route step (an OutOfMemoryError while camel-http buffers an answer, a
 * StackOverflowError) into the exchange's exception, so that the routes' error handling records it on the run.
 * Without this, an error thrown by a synchronous producer inside the split's parallel branches escapes Camel's
 * callbacks: the branch never completes, nothing is logged, and the run stays {@code running} until its deadline.
 * Camel has no option for it, hence this intercept strategy (installed by the runtime wiring).
 */
public final class JvmErrorsAsExceptions implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                try {
                    return processor.process(exchange, callback);
                } catch (Error e) {
                    exchange.setException(new JvmErrorException(e));
                    callback.done(true);
                    return true;
                }
            }
        };
    }

    /** Carries a JVM error as an exception; its message is the error's own ("OutOfMemoryError: Java heap space"). */
    public static final class JvmErrorException extends RuntimeException {
        public JvmErrorException(Error error) {
            super(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()),
                    error);
        }
    }
}
