package com.airtableintegrity.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the Firestore emulator (or the Airtable double: the soak), so a test can make it unreachable ({@link #cut()}) or
 * silent ({@link #stall()}) for the runner while the emulator keeps its data, then bring it back
 * ({@link #restore()}). Listens on 127.0.0.1 on a fixed port chosen at start.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean stalled;
    private volatile boolean closed;
    /** {@link #dropBursts}: bytes a connection may carry to the target within {@link #burstWindowNanos}; 0: no limit. */
    private volatile long burstBytes;
    private volatile long burstWindowNanos;

    private TcpProxy(String targetHost, int targetPort, int port) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = port;
    }

    public static TcpProxy start(String targetHost, int targetPort) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, port);
        proxy.listen();
        return proxy;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Firestore unavailable: no new connection is accepted and every open one is closed. */
    public synchronized void cut() {
        ServerSocket s = server;
        server = null;
        closeQuietly(s);
        dropConnections();
    }

    /** Firestore slow: connections stay open (new ones too) but no byte goes through in either direction. */
    public synchronized void stall() {
        stalled = true;
    }

    /**
     * Firestore lost for large writes only: a connection that carries more than {@code bytes} towards the target
     * within {@code window} is dropped there (what it carried of that write is never completed), until
     * {@link #restore()}. Small calls go through.
     */
    public void dropBursts(long bytes, java.time.Duration window) {
        burstWindowNanos = window.toNanos();
        burstBytes = bytes;
    }

    /** Back to normal; connections held by a stall are dropped (what they carried is lost, not delivered late). */
    public synchronized void restore() throws IOException {
        burstBytes = 0;
        if (stalled) {
            dropConnections();
            stalled = false;
        }
        if (server == null && !closed) {
            listen();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        cut();
    }

    private void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server = s;
        Thread accept = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(targetHost, targetPort), 2000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            if (!register(s, client, upstream)) {
                return;
            }
        }
    }

    /**
     * Registers an accepted connection so that {@link #cut()} drops it, unless the listener it came through was cut
     * while its upstream connection was being made: then it is closed. (Registered without this check, a connection
     * accepted just before a cut survived it: seen once as a run whose final write went through a "cut" Firestore.)
     */
    private synchronized boolean register(ServerSocket listener, Socket client, Socket upstream) {
        if (server != listener) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, true);
        pump(upstream, client, false);
        return true;
    }

    private void pump(Socket from, Socket to, boolean towardsTarget) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            long windowStart = System.nanoTime();
            long windowBytes = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long limit = burstBytes;
                    if (towardsTarget && limit > 0) {
                        long now = System.nanoTime();
                        if (now - windowStart > burstWindowNanos) {
                            windowStart = now;
                            windowBytes = 0;
                        }
                        windowBytes += n;
                        if (windowBytes > limit) {
                            break; // dropped: the finally closes both sides
                        }
                    }
                    while (stalled && !from.isClosed()) {
                        Thread.sleep(20);
                    }
                    if (from.isClosed()) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // connection dropped
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void dropConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}
