package com.airtableintegrity.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;

/**
 * The sockets of the email channel's SMTP sessions (JavaMail's {@code mail.smtp.socketFactory}): each is closed
 * {@code deadline} after it was made, whatever it is doing, so that one send has a wall-clock bound (JavaMail's own
 * timeouts bound each read and write, not a server that answers a byte at a time). camel-mail opens one connection
 * per message; STARTTLS layers over this socket, so closing it ends the TLS session too.
 */
final class DeadlineSocketFactory extends SocketFactory {
    private final Duration deadline;
    private final ScheduledExecutorService timer;

    DeadlineSocketFactory(Duration deadline, ScheduledExecutorService timer) {
        this.deadline = deadline;
        this.timer = timer;
    }

    @Override
    public Socket createSocket() {
        return new BoundedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    private final class BoundedSocket extends Socket {
        private final ScheduledFuture<?> cutOff = timer.schedule(this::closeQuietly, deadline.toNanos(),
                TimeUnit.NANOSECONDS);

        @Override
        public synchronized void close() throws IOException {
            cutOff.cancel(false);
            super.close();
        }

        private void closeQuietly() {
            try {
                super.close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
        }
    }
}
