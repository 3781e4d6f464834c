package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one shape of every error answer of the HTTP server, whoever decides it (the REST routes' {@link RouteErrors},
 * the servlet filter, Spring MVC's error controller, Tomcat's error report valve):
 * {@code {"status": 404, "error": "Not Found", "message": "No run with id 'x'", "path": "/api/runs/x"}}, and for a
 * body that fails validation also {@code "problems": ["$.cron '...' is not a valid Quartz cron expression ...", ...]}.
 * The message says what is wrong and names the thing at fault; the path is cut to {@value #MAX_PATH} characters.
 * Control characters in either are replaced, so that neither the answer nor the log line can be forged.
 * {@link #log()} writes the one log line of a rejected request: WARN for 4xx, ERROR for 5xx.
 */
public record ApiError(int status, String error, String message, String path, List<String> problems) {
    public static final int MAX_PATH = 200;
    /** Problems listed in one answer (an invalid schedule); each is cut like a message. */
    public static final int MAX_PROBLEMS = 100;
    public static final String CONTENT_TYPE = "application/json";
    /** The message of every 5xx: nothing internal goes into an answer; the log line names the cause. */
    public static final String INTERNAL_MESSAGE =
            "Internal error: the request could not be completed; the runner's log names the cause";
    private static final int MAX_MESSAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(ApiError.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError of(int status, String message, String path) {
        HttpStatus known = HttpStatus.resolve(status);
        return new ApiError(status, known == null ? "HTTP " + status : known.getReasonPhrase(),
                clean(message, MAX_MESSAGE), clean(path, MAX_PATH), List.of());
    }

    /** This answer listing every problem found (each naming its JSON path), after the message. */
    public ApiError withProblems(List<String> found) {
        return new ApiError(status, error, message, path,
                found.stream().limit(MAX_PROBLEMS).map(p -> clean(p, MAX_MESSAGE)).toList());
    }

    /** The answer body as JSON text, the same wherever the error is decided. */
    public String toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        body.put("path", path);
        if (!problems.isEmpty()) {
            body.put("problems", problems);
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render an error answer as JSON", e);
        }
    }

    /** The one log line of this rejected request; a 5xx's cause is logged with its stack trace at DEBUG only. */
    public void log(String method, Throwable causeOrNull) {
        String line = "HTTP {} {} {}: {}";
        String m = clean(method, 16);
        if (status < 500) {
            LOG.warn(line, status, m, path, problems.isEmpty() ? message : message + " " + problems);
            return;
        }
        String cause = causeOrNull == null ? "" : " (" + clean(causeOrNull.toString(), MAX_MESSAGE) + ")";
        if (causeOrNull != null && LOG.isDebugEnabled()) {
            LOG.error(line, status, m, path, message + cause, causeOrNull);
        } else {
            LOG.error(line, status, m, path, message + cause);
        }
    }

    private static String clean(String text, int max) {
        if (text == null) {
            return "";
        }
        String cut = text.length() <= max ? text : text.substring(0, max) + "…";
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
