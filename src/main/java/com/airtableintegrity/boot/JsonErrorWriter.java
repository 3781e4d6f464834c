package com.airtableintegrity.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.airtableintegrity.api.ApiError;

/**
 * Writes an {@link ApiError} as the whole answer of a servlet request, with the {@link SecurityHeaders}, after logging
 * it (its one log line).
 */
public final class JsonErrorWriter {
    private JsonErrorWriter() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, ApiError error,
                             Throwable causeOrNull) throws IOException {
        error.log(OriginalMethod.of(request), causeOrNull);
        byte[] body = error.toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(error.status());
        SecurityHeaders.setOn(response::setHeader);
        response.setContentType(ApiError.CONTENT_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
