package com.airtableintegrity.boot.console;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import com.airtableintegrity.api.ApiError;
import com.airtableintegrity.api.ApiRefusal;
import com.airtableintegrity.boot.JsonErrorWriter;

/**
 * A request the console refuses (an invalid run id, an unknown query parameter, a bad filter value, an unknown run)
 * is answered like the REST API's: the one JSON error shape {@code {"status","error","message","path"}}, logged once,
 * with no stack trace. Failures (Firestore unreachable) go to the error controller, which answers 500 in that shape.
 */
@ControllerAdvice(assignableTypes = {ConsolePages.class, ConsoleActions.class})
public class ConsoleErrors {

    /** A refusal of the console's own (a parameter only the console takes, such as {@code ?tab=}). */
    static final class Refused extends RuntimeException {
        private final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @ExceptionHandler(ApiRefusal.class)
    public void refused(ApiRefusal refusal, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.reset();
        refusal.retryAfterSeconds().ifPresent(s -> response.setHeader("Retry-After", String.valueOf(s)));
        write(refusal.status(), refusal.getMessage(), request, response);
    }

    @ExceptionHandler(Refused.class)
    public void refused(Refused refusal, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.reset();
        write(refusal.status, refusal.getMessage(), request, response);
    }

    private static void write(int status, String message, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        JsonErrorWriter.write(request, response, ApiError.of(status, message, request.getRequestURI()), null);
    }
}
