package com.airtableintegrity.airtable;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

import com.airtableintegrity.run.RunContext;

/**
 * A wall-clock bound on the whole of one Airtable request, from connect to the last byte of the body.
 * Socket timeouts bound only the gap between bytes; a server that drips one byte a second never trips them.
 * <p>
 * The page loop {@link #arm arms} a deadline on its own thread just before camel-http sends the request;
 * this configurer's exec interceptor picks it up on that thread and, when the deadline passes or the run
 * stops, closes the connection under the request, which makes the blocked read fail at once.
 */
public final class RequestDeadlines implements HttpClientConfigurer, AutoCloseable {

    /** The deadline armed for the request about to be sent on this thread. */
    public static final class Armed {
        private final long deadlineNanos;
        private final RunContext run;
        private volatile boolean fired;

        private Armed(long deadlineNanos, RunContext run) {
            this.deadlineNanos = deadlineNanos;
            this.run = run;
        }

        /** True if the request was cut off because its wall-clock deadline passed. */
        public boolean fired() {
            return fired;
        }
    }

    private final ThreadLocal<Armed> current = new ThreadLocal<>();
    private final ScheduledThreadPoolExecutor timer;

    public RequestDeadlines() {
        TokenSafeLogging.capHttpClientWireLogs();
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = Executors.defaultThreadFactory().newThread(runnable);
            t.setName("airtable-request-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Arms the bound for the next request sent from this thread: {@code timeoutMillis} from now, or the run's stop. */
    public Armed arm(long timeoutMillis, RunContext run) {
        Armed armed = new Armed(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), run);
        current.set(armed);
        return armed;
    }

    /** Clears this thread's armed deadline (after the response was read or the request failed). */
    public Armed disarm() {
        Armed armed = current.get();
        current.remove();
        return armed;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // the page loop retries on its own terms; a client-side retry would outlive the wall-clock bound
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("wall-clock-deadline", new Interceptor());
    }

    private final class Interceptor implements ExecChainHandler {
        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
                throws IOException, HttpException {
            Armed armed = current.get();
            if (armed == null) {
                return chain.proceed(request, scope);
            }
            Runnable cutOff = scope.execRuntime::discardEndpoint;
            long delay = Math.max(0, armed.deadlineNanos - System.nanoTime());
            ScheduledFuture<?> timeout = timer.schedule(() -> {
                armed.fired = true;
                cutOff.run();
            }, delay, TimeUnit.NANOSECONDS);
            AutoCloseable onStop = armed.run == null ? () -> { } : armed.run.onStop(cutOff);
            Runnable release = () -> {
                timeout.cancel(false);
                try {
                    onStop.close();
                } catch (Exception ignored) {
                    // removing a hook cannot fail
                }
            };
            ClassicHttpResponse response;
            try {
                response = chain.proceed(request, scope);
            } catch (IOException | HttpException | RuntimeException e) {
                release.run();
                throw e;
            }
            if (response.getEntity() == null) {
                release.run();
            } else {
                // the body is read after this returns: keep the bound until the entity is closed
                response.setEntity(new HttpEntityWrapper(response.getEntity()) {
                    @Override
                    public void close() throws IOException {
                        try {
                            super.close();
                        } finally {
                            release.run();
                        }
                    }
                });
            }
            return response;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
