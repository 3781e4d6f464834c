package com.airtableintegrity.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.time.Duration;

import org.junit.jupiter.api.Test;


/**
 * Request bodies are capped on every endpoint before anything is buffered (413, default 16384 bytes), and a POST
 * body that is not JSON is refused (415), both with the JSON error shape.
 */
class RequestLimitsTest extends BootApiTest {
    private static final String TOO_LARGE = "{\"status\":413,\"error\":\"Content Too Large\",\"message\":"
            + "\"The request body is larger than the limit of 16384 bytes\",\"path\":\"%s\"}";

    @Test
    void aTwentyMegabyteChunkedBodyIsRefusedQuicklyAndTheAppKeepsAnswering() throws Exception {
        HttpRequest request = api.request("/api/runs/abc/cancel").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated(20L << 20))).build();

        ApiClient.Answer answer = api.send(request);

        assertThat(answer.line()).isEqualTo("413 " + TOO_LARGE.formatted("/api/runs/abc/cancel"));
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.millis()).isLessThan(Duration.ofSeconds(5).toMillis());
        assertThat(api.get("/api/runs?limit=1").status()).isEqualTo(200);
    }

    @Test
    void aDeclaredContentLengthOverTheCapIsRefusedBeforeTheBodyIsSent() throws Exception {
        long start = System.nanoTime();
        String answer = api.raw("POST /api/runs/abc/cancel HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + (10 << 20), Duration.ofSeconds(10));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to the answer")
                .isLessThan(Duration.ofSeconds(3));
        assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: application/json")
                .containsIgnoringCase("connection: close")
                .endsWith(TOO_LARGE.formatted("/api/runs/abc/cancel"));
    }

    @Test
    void aPostWithATextBodyIsRefusedAsUnsupportedMediaType() throws Exception {
        ApiClient.Answer answer = api.send(api.request("/api/runs").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("run please")).build());

        assertThat(answer.line()).isEqualTo("415 {\"status\":415,\"error\":\"Unsupported Media Type\",\"message\":"
                + "\"The request body must be application/json, was 'text/plain'\",\"path\":\"/api/runs\"}");
        assertThat(answer.contentType()).startsWith("application/json");
    }

    /** {@code size} bytes of JSON-looking text, made as they are read. */
    private static InputStream generated(long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? '7' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) '7');
                left -= n;
                return n;
            }
        };
    }
}
