package com.airtableintegrity.support;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.time.Instant;
import java.util.Arrays;

/**
 * One HTTP/1.1 connection of {@link AirtableDouble} on the reading side: a small read buffer (no synchronisation per
 * byte), request line and headers, body skipping (Content-Length or chunked) and the keep-alive decision.
 */
final class AirtableDoubleConn {

    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_HEADERS = 200;

    /** What the double needs of one request. */
    record RawRequest(String method, String target, String authorization, boolean keepAlive,
                      Instant arrival, long arrivalNanos) {
    }

    /** A malformed request: answered 400, then the connection is closed. */
    static final class BadRequest extends IOException {
        BadRequest(String message) {
            super(message);
        }
    }

    final Socket socket;
    final int id;
    final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int lim;
    private char[] line = new char[256];

    AirtableDoubleConn(Socket socket, int id) throws IOException {
        this.socket = socket;
        this.id = id;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** The next request, its body skipped; null on EOF between requests. */
    RawRequest readRequest() throws IOException {
        String line;
        do {
            line = readLine();
            if (line == null) {
                return null;
            }
        } while (line.isEmpty());
        Instant arrival = Instant.now();
        long nanos = System.nanoTime();
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0) {
            throw new BadRequest("Malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
        String version = sp2 < 0 ? "HTTP/1.0" : line.substring(sp2 + 1);
        String authorization = null;
        String connection = null;
        long contentLength = 0;
        boolean chunked = false;
        for (int n = 0; ; n++) {
            String h = readLine();
            if (h == null) {
                return null;
            }
            if (h.isEmpty()) {
                break;
            }
            if (n >= MAX_HEADERS) {
                throw new BadRequest("Too many headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("authorization")) {
                authorization = value;
            } else if (name.equalsIgnoreCase("connection")) {
                connection = connection == null ? value : connection + "," + value;
            } else if (name.equalsIgnoreCase("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new BadRequest("Bad Content-Length");
                }
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase().contains("chunked");
            }
        }
        if (chunked) {
            skipChunked();
        } else {
            skip(contentLength);
        }
        boolean keepAlive;
        if (version.equalsIgnoreCase("HTTP/1.1")) {
            keepAlive = !hasToken(connection, "close");
        } else {
            keepAlive = hasToken(connection, "keep-alive");
        }
        return new RawRequest(method, target, authorization, keepAlive, arrival, nanos);
    }

    private void skipChunked() throws IOException {
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new IOException("EOF in chunked body");
            }
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest("Bad chunk size");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine();
                } while (trailer != null && !trailer.isEmpty());
                return;
            }
            skip(size);
            readLine();
        }
    }

    private static boolean hasToken(String headerValue, String token) {
        if (headerValue == null) {
            return false;
        }
        for (String part : headerValue.split(",")) {
            if (part.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    private int read() throws IOException {
        if (pos == lim) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return -1;
            }
            pos = 0;
            lim = n;
        }
        return buf[pos++] & 0xff;
    }

    /** A line without CR/LF as ISO-8859-1; null on EOF before any byte. */
    private String readLine() throws IOException {
        int len = 0;
        while (true) {
            int b = read();
            if (b < 0) {
                if (len == 0) {
                    return null;
                }
                throw new SocketException("EOF inside a line");
            }
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return new String(line, 0, len);
            }
            if (len == line.length) {
                if (len >= MAX_LINE) {
                    throw new BadRequest("Line too long");
                }
                line = Arrays.copyOf(line, len * 2);
            }
            line[len++] = (char) b;
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (read() < 0) {
                throw new SocketException("EOF inside a body");
            }
            n--;
        }
    }
}
