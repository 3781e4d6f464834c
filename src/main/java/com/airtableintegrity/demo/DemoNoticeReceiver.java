package com.airtableintegrity.demo;

import com.airtableintegrity.notify.WebhookBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.util.HtmlUtils;

/**
 * The demo's webhook receiver, on a free port of 127.0.0.1 (demo profile only): {@code POST /hook} takes the notices
 * of channel {@value #CHANNEL}, checks each signature as a real receiver would, and keeps the last {@value #KEPT};
 * {@code GET /} shows them on a page, newest first. It answers 200 to a notice whose signature holds, 401 otherwise.
 */
public final class DemoNoticeReceiver implements AutoCloseable {
    public static final String CHANNEL = "demo-hook";
    /** The demo channel's signing secret: a fixed, documented value, as the demo's logins are. */
    public static final String SECRET = "demo-webhook-secret-0123456789";
    static final int KEPT = 50;
    private static final int MAX_BODY = 256 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DemoNoticeReceiver.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One notice as received. */
    public record Received(Instant at, String id, String event, String runId, String status, boolean signatureValid) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "demo-notice-receiver");
        t.setDaemon(true);
        return t;
    });
    private final Deque<Received> received = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoNoticeReceiver(HttpServer server) {
        this.server = server;
    }

    public static DemoNoticeReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 20);
            DemoNoticeReceiver r = new DemoNoticeReceiver(server);
            server.setExecutor(r.threads);
            server.createContext("/", r::handle);
            server.start();
            LOG.info("Demo: notices of channel {} are received and shown on {}/", CHANNEL, r.url());
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open the demo notice receiver's port on 127.0.0.1", e);
        }
    }

    /** The receiver's root, e.g. {@code http://127.0.0.1:41235}; the webhook URL is this plus {@code /hook}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The notices received so far, newest first. */
    public synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if ("POST".equals(exchange.getRequestMethod()) && "/hook".equals(path)) {
                byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY);
                boolean valid = verify(exchange.getRequestHeaders().getFirst(WebhookBody.SIGNATURE_HEADER), body);
                record(body, valid);
                answer(exchange, valid ? 200 : 401, "text/plain", valid ? "ok" : "bad signature");
            } else if ("GET".equals(exchange.getRequestMethod()) && "/".equals(path)) {
                answer(exchange, 200, "text/html; charset=utf-8", page());
            } else {
                answer(exchange, 404, "text/plain", "not found");
            }
        }
    }

    private synchronized void record(byte[] body, boolean valid) {
        try {
            JsonNode n = JSON.readTree(body);
            received.addFirst(new Received(Instant.now(), n.path("id").asText(), n.path("event").asText(),
                    n.at("/run/id").asText(), n.at("/run/status").asText(), valid));
        } catch (IOException e) {
            received.addFirst(new Received(Instant.now(), "(not JSON)", "", "", "", valid));
        }
        while (received.size() > KEPT) {
            received.removeLast();
        }
    }

    /** As docs/notifications.md tells a receiver: HMAC-SHA256 of "t.body" with the secret, compared in constant
     * time. */
    static boolean verify(String header, byte[] body) {
        if (header == null || !header.startsWith("t=") || !header.contains(",v1=")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        try {
            String expected = WebhookBody.signature(SECRET, Long.parseLong(t),
                    new String(body, StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    header.getBytes(StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private synchronized String page() {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"5\"><title>Demo notices</title></head><body>"
                + "<h1>Notices received by the demo's webhook</h1><p>Channel " + CHANNEL
                + "; the newest first; this page reloads every 5 s.</p><table id=\"notices\"><thead><tr><th>received"
                + "</th><th>event</th><th>run</th><th>status</th><th>signature</th></tr></thead><tbody>");
        for (Received r : received) {
            h.append("<tr data-id=\"").append(HtmlUtils.htmlEscape(r.id())).append("\"><td>").append(r.at())
                    .append("</td><td>").append(HtmlUtils.htmlEscape(r.event())).append("</td><td>")
                    .append(HtmlUtils.htmlEscape(r.runId())).append("</td><td>")
                    .append(HtmlUtils.htmlEscape(r.status())).append("</td><td>")
                    .append(r.signatureValid() ? "valid" : "INVALID").append("</td></tr>");
        }
        return h.append("</tbody></table></body></html>").toString();
    }

    private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
