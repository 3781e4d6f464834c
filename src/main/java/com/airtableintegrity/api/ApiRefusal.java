package com.airtableintegrity.api;

import java.util.OptionalLong;

/**
 * A request the API refuses (4xx), thrown by {@link RunsApi}; {@link RouteErrors} answers it as an {@link ApiError}.
 * It carries no stack trace: it is an answer, not a fault.
 */
public final class ApiRefusal extends RuntimeException {
    private final int status;
    private final OptionalLong retryAfterSeconds;

    ApiRefusal(int status, String message) {
        this(status, message, OptionalLong.empty());
    }

    ApiRefusal(int status, String message, OptionalLong retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} of the answer, if it has one. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
