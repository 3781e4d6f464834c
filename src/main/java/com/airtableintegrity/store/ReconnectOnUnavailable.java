package com.airtableintegrity.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.google.api.core.ApiFunction;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingChannelBuilder2;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Lets the Firestore client reconnect as soon as a call finds Firestore unavailable. gRPC spaces its reconnect
 * attempts further apart while a server stays away (1 s, then 1.6 times longer each time, up to 2 minutes), and fails
 * every call at once in between: after a long outage the runner kept failing its starts and heartbeats for up to half
 * a minute after Firestore was back (soak finding; {@code RunStoreOutageTest}). Here a call that ends
 * {@code UNAVAILABLE} cuts that wait short ({@link ManagedChannel#resetConnectBackoff}), at most once a second, so
 * reconnect attempts follow the runner's own calls. Neither gRPC nor the Google client offers a setting for this
 * backoff, hence the channel configurator: it adds the interceptor and keeps each channel it builds.
 */
final class ReconnectOnUnavailable implements ApiFunction<ManagedChannelBuilder, ManagedChannelBuilder> {

    private static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ApiFunction<ManagedChannelBuilder, ManagedChannelBuilder> base;
    private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
    private final AtomicLong lastReset = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);

    /** {@code base} configures each channel builder first (e.g. plaintext for the emulator); null for none. */
    ReconnectOnUnavailable(ApiFunction<ManagedChannelBuilder, ManagedChannelBuilder> base) {
        this.base = base;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public ManagedChannelBuilder apply(ManagedChannelBuilder builder) {
        ManagedChannelBuilder<?> configured = base == null ? builder : base.apply(builder);
        configured.intercept(new ResetBackoffInterceptor());
        return new Keeping(configured);
    }

    private void unavailable() {
        long now = System.nanoTime();
        long last = lastReset.get();
        if (now - last < MIN_INTERVAL_NANOS || !lastReset.compareAndSet(last, now)) {
            return;
        }
        channels.removeIf(ManagedChannel::isShutdown);
        channels.forEach(ManagedChannel::resetConnectBackoff);
    }

    /** The builder as configured; {@code build()} keeps the channel for {@link #unavailable}. */
    private final class Keeping extends ForwardingChannelBuilder2<Keeping> {
        private final ManagedChannelBuilder<?> delegate;

        Keeping(ManagedChannelBuilder<?> delegate) {
            this.delegate = delegate;
        }

        @Override
        protected ManagedChannelBuilder<?> delegate() {
            return delegate;
        }

        @Override
        public ManagedChannel build() {
            ManagedChannel channel = delegate.build();
            channels.add(channel);
            return channel;
        }
    }

    private final class ResetBackoffInterceptor implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                                                     Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            if (status.getCode() == Status.Code.UNAVAILABLE) {
                                unavailable();
                            }
                            super.onClose(status, trailers);
                        }
                    }, headers);
                }
            };
        }
    }
}
