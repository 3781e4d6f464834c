package com.airtableintegrity.airtable;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;

import com.airtableintegrity.metrics.RunnerMetrics;
import com.airtableintegrity.run.RunContext;

/**
 * Bounds every Airtable request sent by camel-http (it is the endpoint's {@code httpClientConfigurer}):
 * <ul>
 *   <li>a <b>wall-clock deadline</b> on the whole request, from connect to the last byte of the body. Socket
 *   timeouts bound only the gap between bytes; a server that drips one byte a second never trips them. When the
 *   deadline passes or the run stops, the connection under the request is closed, which makes the blocked read fail
 *   at once;</li>
 *   <li>the per-base and the per-token <b>send-time rate limits</b> ({@link SendRateLimiter}) behind the route's
 *   Throttle EIPs (a Throttle counts permits when it hands them out: a request delayed after its permit, e.g. by its
 *   base's send-time limit, could reach Airtable less than a period after the token's request four permits before;
 *   seen in ThrottleTest, 982 ms between requests 10 and 14 at 4 per second);</li>
 *   <li>a <b>size cap</b> on each answer's body ({@link CappedEntity}): reading stops with
 *   {@link PageTooLargeException} past {@code integrity.airtable.max-page-bytes};</li>
 *   <li>no client-side automatic retries: the page loop retries on its own terms, within the run deadline.</li>
 * </ul>
 * The page loop {@link #arm arms} the bound on its own thread just before camel-http sends the request and
 * {@link #disarm disarms} it once the answer is read; the client's interceptors find it on that thread. It also
 * measures each request: the wait at the send-time limit, and the latency from the wire to the whole answer
 * ({@link #ended}), both in {@link RunnerMetrics}.
 */
public final class AirtableRequestGuard implements HttpClientConfigurer, AutoCloseable {

    /** The bound armed for the request about to be sent on this thread. */
    public static final class Armed {
        private final long deadlineNanos;
        private final RunContext run;
        private volatile boolean fired;
        private volatile long sentNanos;
        private volatile Runnable release = () -> { };

        private Armed(long deadlineNanos, RunContext run) {
            this.deadlineNanos = deadlineNanos;
            this.run = run;
        }

        /** True if the request was cut off because its wall-clock deadline passed. */
        public boolean fired() {
            return fired;
        }
    }

    /** The one key of the token's limiter: every base's requests count together. */
    private static final String TOKEN = "token";

    private final ThreadLocal<Armed> current = new ThreadLocal<>();
    private final ScheduledThreadPoolExecutor timer;
    private final SendRateLimiter rateLimiter;
    private final SendRateLimiter tokenLimiter;
    private final long maxPageBytes;
    private final RunnerMetrics metrics;

    public AirtableRequestGuard(int requestsPerWindow, int tokenRequestsPerWindow, Duration window, long maxPageBytes,
                                RunnerMetrics metrics) {
        TokenSafeLogging.capHttpClientWireLogs();
        this.maxPageBytes = maxPageBytes;
        this.metrics = metrics;
        this.rateLimiter = new SendRateLimiter(requestsPerWindow, window);
        this.tokenLimiter = new SendRateLimiter(tokenRequestsPerWindow, window);
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
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

    /** Clears this thread's bound once the answer was read or the request failed, releasing its timer at once. */
    public Armed disarm() {
        Armed armed = current.get();
        current.remove();
        if (armed != null) {
            armed.release.run();
        }
        return armed;
    }

    /**
     * The request of {@code armed} (as {@link #disarm} returned it) ended with {@code outcome}: counted, with its
     * latency, if it went on the wire (a request stopped before it did is not a request).
     */
    public void ended(Armed armed, String outcome) {
        if (armed != null && armed.sentNanos != 0) {
            metrics.requestEnded(outcome, System.nanoTime() - armed.sentNanos);
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("wall-clock-deadline", this::withDeadline);
        builder.addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "send-rate-limit", this::withinRate);
    }

    private ClassicHttpResponse withDeadline(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Armed armed = current.get();
        if (armed == null) {
            return chain.proceed(request, scope);
        }
        Runnable cutOff = scope.execRuntime::discardEndpoint;
        ScheduledFuture<?> timeout = timer.schedule(() -> {
            armed.fired = true;
            cutOff.run();
        }, Math.max(0, armed.deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        AutoCloseable onStop = armed.run.onStop(cutOff);
        armed.release = () -> {
            timeout.cancel(false);
            try {
                onStop.close();
            } catch (Exception ignored) {
                // removing a hook cannot fail
            }
        };
        return capped(chain.proceed(request, scope));
    }

    private ClassicHttpResponse capped(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return response;
        }
        if (entity.getContentLength() > maxPageBytes) {
            response.close(); // gives up the connection instead of reading the body
            throw new PageTooLargeException(maxPageBytes);
        }
        response.setEntity(new CappedEntity(entity, maxPageBytes));
        return response;
    }

    private ClassicHttpResponse withinRate(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Armed armed = current.get();
        if (armed == null) {
            return chain.proceed(request, scope);
        }
        long started = System.nanoTime();
        SendRateLimiter.Send send = rateLimiter.acquire(armed.run.baseId(), armed.run);
        SendRateLimiter.Send tokenSend;
        try {
            tokenSend = tokenLimiter.acquire(TOKEN, armed.run);
        } catch (RuntimeException e) { // the run stopped while waiting: the base's slot is free again
            send.answered();
            throw e;
        }
        armed.sentNanos = System.nanoTime();
        armed.run.counters().throttleWaitMillis.addAndGet(SendRateLimiter.millis(armed.sentNanos - started));
        metrics.throttleWaited("send_time", armed.sentNanos - started);
        try {
            return chain.proceed(request, scope); // returns once the answer's head has arrived
        } finally {
            send.answered();
            tokenSend.answered();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
