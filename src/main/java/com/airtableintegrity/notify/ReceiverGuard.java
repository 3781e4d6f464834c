package com.airtableintegrity.notify;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds every call to a notification receiver (the {@code httpClientConfigurer} of the webhook and Slack routes'
 * camel-http endpoints): a <b>wall-clock deadline</b> from connect to the last byte of the answer
 * ({@code integrity.notify.send-timeout-seconds}; socket timeouts bound only the gaps between bytes, so a receiver
 * that drips its answer never trips them), after which the connection is closed under the call; and a <b>cap on the
 * answer</b> ({@code integrity.notify.max-answer-bytes}): the body is read to the cap, then the connection is
 * dropped instead of reading on, so an endless answer costs neither memory nor time. No automatic retries and no
 * redirects: the outbox retries on its own terms, and a redirect could lead a signed notice anywhere.
 */
public final class ReceiverGuard implements HttpClientConfigurer {
    private final Duration deadline;
    private final int maxAnswerBytes;
    private final ScheduledExecutorService timer;

    /** @param timer runs the cut-offs (its owner, {@link Notifier}, stops it) */
    public ReceiverGuard(Duration deadline, int maxAnswerBytes, ScheduledExecutorService timer) {
        this.deadline = deadline;
        this.maxAnswerBytes = maxAnswerBytes;
        this.timer = timer;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
        builder.addExecInterceptorFirst("notify-wall-clock-deadline", this::bounded);
    }

    private ClassicHttpResponse bounded(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Runnable cutOff = scope.execRuntime::discardEndpoint;
        ScheduledFuture<?> timeout = timer.schedule(cutOff, deadline.toNanos(), TimeUnit.NANOSECONDS);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException | HttpException | RuntimeException e) {
            timeout.cancel(false);
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            timeout.cancel(false);
            return response;
        }
        response.setEntity(new Truncated(entity, maxAnswerBytes, () -> timeout.cancel(false), cutOff));
        return response;
    }

    /** An answer read up to {@code cap} bytes; past it the connection is dropped and the reader sees the end. */
    private static final class Truncated extends HttpEntityWrapper {
        private final int cap;
        private final Runnable done;
        private final Runnable drop;

        Truncated(HttpEntity wrapped, int cap, Runnable done, Runnable drop) {
            super(wrapped);
            this.cap = cap;
            this.done = done;
            this.drop = drop;
        }

        @Override
        public long getContentLength() {
            long length = super.getContentLength();
            return length < 0 || length > cap ? -1 : length;
        }

        @Override
        public boolean isStreaming() {
            return true;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private int read;
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (ended || read >= cap) {
                        return -1; // past the cap the reader sees the end; close() drops the connection
                    }
                    int n = super.read(b, off, Math.min(len, cap - read));
                    if (n < 0) {
                        ended = true;
                    } else {
                        read += n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    try {
                        if (ended) {
                            super.close(); // read to its end: the connection can serve the next call
                        } else {
                            drop.run(); // never read on: the connection goes, not the time
                        }
                    } finally {
                        done.run();
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }
    }
}
