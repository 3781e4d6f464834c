package com.airtableintegrity.boot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.springframework.core.env.Environment;

/** Requests to the application under test, answered as status, content type, headers and body. */
public final class ApiClient {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One answer; {@code millis} is the time from sending to the whole answer. */
    public record Answer(int status, String contentType, String body, HttpResponse<String> response, long millis) {
        /** "STATUS BODY" */
        public String line() {
            return status + " " + body;
        }

        public Optional<String> header(String name) {
            return response == null ? Optional.empty() : response.headers().firstValue(name);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int port;

    public ApiClient(Environment environment) {
        this.port = Integer.parseInt(environment.getRequiredProperty("local.server.port"));
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(TIMEOUT);
    }

    public Answer get(String pathAndQuery, String... headerNamesAndValues) throws Exception {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (headerNamesAndValues.length > 0) {
            b.headers(headerNamesAndValues);
        }
        return send(b.build());
    }

    public Answer post(String pathAndQuery) throws Exception {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code method} with a JSON body (Content-Type application/json). */
    public Answer json(String method, String pathAndQuery, String body) throws Exception {
        return send(request(pathAndQuery).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer delete(String pathAndQuery) throws Exception {
        return send(request(pathAndQuery).DELETE().build());
    }

    public Answer send(HttpRequest request) throws Exception {
        return sendAsync(request).get();
    }

    public CompletableFuture<Answer> sendAsync(HttpRequest request) {
        long start = System.nanoTime();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Answer(
                r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r,
                (System.nanoTime() - start) / 1_000_000));
    }

    /**
     * Writes {@code head} (request line and headers, without the blank line; {@code Host: 127.0.0.1:PORT} is added
     * unless it names a Host) over a plain socket, sends no body, and reads one answer (headers and a Content-Length
     * body) within {@code readTimeout}: for requests HttpClient will not send. An incomplete answer is returned as far
     * as it came.
     */
    public String raw(String head, Duration readTimeout) throws IOException {
        return rawWithBody(head, "", readTimeout);
    }

    /** As {@link #raw}, then {@code body} (UTF-8) after the blank line; {@code head} declares its length. */
    public String rawWithBody(String head, String body, Duration readTimeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            OutputStream out = socket.getOutputStream();
            String host = head.toLowerCase(java.util.Locale.ROOT).contains("\r\nhost:") ? ""
                    : "\r\nHost: 127.0.0.1:" + port;
            out.write((head + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                while (!complete(answer.toString(StandardCharsets.UTF_8))) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    answer.write(b);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the answer so far
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static boolean complete(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)")
                .matcher(answer.substring(0, end));
        return length.find() && answer.length() - end - 4 >= Integer.parseInt(length.group(1));
    }
}
