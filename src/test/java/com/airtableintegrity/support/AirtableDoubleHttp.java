package com.airtableintegrity.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.airtableintegrity.support.AirtableDoubleConn.RawRequest;

/**
 * The HTTP/1.1 server of {@link AirtableDouble}: raw {@link ServerSocket} on 127.0.0.1 (free port), one daemon thread
 * per connection, keep-alive with Content-Length framing, and byte-exact delivery of an {@link AirtableDoubleAction}
 * (normal, slow, hold, headers-then-hang, drip, truncate, reset). {@link #close()} closes everything and releases held
 * and dripping handlers.
 */
final class AirtableDoubleHttp implements AutoCloseable {

    /** Decides the answer to one request (and logs it). */
    interface Handler {
        AirtableDoubleAction handle(RawRequest request, int connectionId);
    }

    private final Handler handler;
    private final ServerSocket serverSocket;
    private final Thread acceptThread;
    private final ExecutorService pool;
    private final Set<Socket> liveSockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile boolean closed;
    private final AtomicInteger connectionIds = new AtomicInteger();

    AirtableDoubleHttp(Handler handler) throws IOException {
        this.handler = handler;
        this.serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        AtomicInteger threadIds = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "airtable-double-conn-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptThread = new Thread(this::acceptLoop, "airtable-double-accept-" + serverSocket.getLocalPort());
        acceptThread.setDaemon(true);
    }

    void start() {
        acceptThread.start();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        closeQuietly(serverSocket);
        for (Socket s : liveSockets) {
            closeQuietly(s);
        }
        pool.shutdownNow();
        try {
            acceptThread.join(1000);
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            liveSockets.add(s);
            if (closed) {
                closeQuietly(s);
                liveSockets.remove(s);
                return;
            }
            int id = connectionIds.incrementAndGet();
            try {
                pool.execute(() -> serve(s, id));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
                liveSockets.remove(s);
            }
        }
    }

    private void serve(Socket socket, int connectionId) {
        try {
            socket.setTcpNoDelay(true);
            AirtableDoubleConn c = new AirtableDoubleConn(socket, connectionId);
            while (!closed) {
                RawRequest req;
                try {
                    req = c.readRequest();
                } catch (AirtableDoubleConn.BadRequest e) {
                    writeResponse(c, AirtableDoubleAction.error(400, "INVALID_REQUEST_UNKNOWN", e.getMessage()),
                            false);
                    return;
                }
                if (req == null) {
                    return;
                }
                AirtableDoubleAction action = handler.handle(req, c.id);
                if (!deliver(action, c, req.keepAlive())) {
                    return;
                }
            }
        } catch (IOException e) {
            // client went away or close(): nothing to do
        } finally {
            closeQuietly(socket);
            liveSockets.remove(socket);
        }
    }

    /** Returns true if the connection stays open for the next request. */
    private boolean deliver(AirtableDoubleAction a, AirtableDoubleConn c, boolean keepAlive) throws IOException {
        switch (a.mode) {
            case RESPOND:
                writeResponse(c, a, keepAlive);
                return keepAlive;
            case SLOW:
                if (awaitClosed(a.wait)) {
                    return false;
                }
                writeResponse(c, a, keepAlive);
                return keepAlive;
            case HOLD:
                hold(c);
                return false;
            case HEADERS_HANG:
                c.out.write(head(a, a.body.length, false));
                c.out.flush();
                hold(c);
                return false;
            case DRIP:
                c.out.write(head(a, a.body.length, !keepAlive));
                c.out.flush();
                for (byte b : a.body) {
                    if (awaitClosed(a.wait)) {
                        return false;
                    }
                    c.out.write(b);
                    c.out.flush();
                }
                return keepAlive;
            case TRUNCATED:
                c.out.write(head(a, a.body.length, false));
                c.out.write(a.body, 0, a.truncateAt);
                c.out.flush();
                c.socket.shutdownOutput();
                return false;
            case RESET:
                c.socket.setSoLinger(true, 0);
                c.socket.close();
                return false;
            default:
                throw new IllegalStateException(String.valueOf(a.mode));
        }
    }

    private static void writeResponse(AirtableDoubleConn c, AirtableDoubleAction a, boolean keepAlive)
            throws IOException {
        c.out.write(head(a, a.body.length, !keepAlive));
        c.out.write(a.body);
        c.out.flush();
    }

    private static byte[] head(AirtableDoubleAction a, int contentLength, boolean connectionClose) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(a.status).append(' ').append(reason(a.status)).append("\r\n");
        sb.append("Content-Type: application/json; charset=utf-8\r\n");
        sb.append("Content-Length: ").append(contentLength).append("\r\n");
        if (a.retryAfter != null) {
            sb.append("Retry-After: ").append(a.retryAfter).append("\r\n");
        }
        if (connectionClose) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Holds the connection: returns when the client closes it or the double closes. */
    private void hold(AirtableDoubleConn c) {
        try {
            c.socket.setSoTimeout(0);
            InputStream in = c.socket.getInputStream();
            byte[] sink = new byte[512];
            while (!closed && in.read(sink) >= 0) {
                // discard whatever the client sends
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Waits up to {@code d}; true if the double closed meanwhile. */
    private boolean awaitClosed(Duration d) {
        try {
            return closedLatch.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status";
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // ignore
        }
    }
}
