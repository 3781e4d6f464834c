package com.airtableintegrity.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP receiver for notices (a webhook endpoint, a Slack incoming webhook): it records every request as it
 * arrived and answers as the test scripted it, one answer per request in order ({@link #answer}), then 200. An answer
 * may be a status, {@link #HANG} (no answer until the receiver closes), {@link #DRIP} or {@link #HUGE}.
 */
public final class NoticeReceiver implements AutoCloseable {
    /** Never answer (the request is held until {@link #close}). */
    public static final int HANG = -1;
    /** Answer 200, then drip the body a byte every 300 ms for a minute: no gap is long, the whole call is. */
    public static final int DRIP = -2;
    /** Answer 200 with a body of 8 MiB. */
    public static final int HUGE = -3;

    /** One request as received: headers by lower-case name. */
    public record Received(String method, String path, Map<String, String> headers, String body, long arrivalNanos,
                           int answeredWith) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private NoticeReceiver(HttpServer server) {
        this.server = server;
    }

    public static NoticeReceiver start() {
        return start(0);
    }

    /** A receiver on {@code port} (0: a free one), e.g. the port of one that was closed, back up. */
    public static NoticeReceiver start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            NoticeReceiver receiver = new NoticeReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.threads);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the notice receiver", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} on this receiver, e.g. {@code http://127.0.0.1:PORT/hooks/integrity}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests get these answers, in order (a status, or {@link #HANG}); later ones get 200. */
    public synchronized NoticeReceiver answer(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
        return this;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        int answer;
        synchronized (this) {
            answer = script.isEmpty() ? 200 : script.poll();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT),
                    String.join(",", v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8), System.nanoTime(), answer));
        }
        if (answer == HANG) {
            try {
                closed.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (answer == DRIP || answer == HUGE) {
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream o = exchange.getResponseBody()) {
                for (int i = 0; i < (answer == DRIP ? 200 : 8 * 1024) && closed.getCount() > 0; i++) {
                    o.write(answer == DRIP ? new byte[] {'.'} : new byte[1024]);
                    o.flush();
                    if (answer == DRIP) {
                        closed.await(300, TimeUnit.MILLISECONDS);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the caller cut the call off: what this answer is for
            }
            return;
        }
        byte[] out = (answer >= 200 && answer < 300 ? "ok" : "receiver trouble " + answer)
                .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    /** Waits until {@code count} requests have arrived, at most {@code timeout}; returns them. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver got " + received().size() + " requests within " + timeout
                        + ", expected " + count + ": " + received());
            }
            Thread.sleep(20);
        }
        return received();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
