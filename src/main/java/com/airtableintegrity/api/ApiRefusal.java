package com.airtableintegrity.api;

import java.util.List;
import java.util.OptionalLong;

/**
 * A request the API refuses (4xx), thrown by {@link RunsApi} and {@link SchedulesApi}; {@link RouteErrors} answers it
 * as an {@link ApiError}. It carries no stack trace: it is an answer, not a fault.
 */
public final class ApiRefusal extends RuntimeException {
    private final int status;
    private final OptionalLong retryAfterSeconds;
    private final List<String> problems;

    ApiRefusal(int status, String message) {
        this(status, message, OptionalLong.empty(), List.of());
    }

    ApiRefusal(int status, String message, OptionalLong retryAfterSeconds) {
        this(status, message, retryAfterSeconds, List.of());
    }

    /** A 400 listing every problem of a request body. */
    static ApiRefusal invalid(String message, List<String> problems) {
        return new ApiRefusal(400, message, OptionalLong.empty(), List.copyOf(problems));
    }

    private ApiRefusal(int status, String message, OptionalLong retryAfterSeconds, List<String> problems) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.problems = problems;
    }

    /** The problems of an invalid body, each naming its JSON path (empty for other refusals). */
    public List<String> problems() {
        return problems;
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} of the answer, if it has one. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
