package com.airtableintegrity.api;

import java.util.OptionalLong;

import com.airtableintegrity.run.ManualRuns;

/**
 * A request the API refuses (4xx), thrown by {@link RunsApi} and {@link SchedulesApi}; {@link RouteErrors} answers it
 * as an {@link ApiError}. It carries no stack trace: it is an answer, not a fault.
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

    /** Throws the refusal of a start that was not accepted: 429 (with Retry-After) or 409, with its message. */
    static void unlessAccepted(ManualRuns.Result result) {
        if (result instanceof ManualRuns.RateLimited limited) {
            throw new ApiRefusal(429, result.message(), OptionalLong.of(limited.retryAfterSeconds()));
        }
        if (!(result instanceof ManualRuns.Accepted)) {
            throw new ApiRefusal(409, result.message());
        }
    }

    public int status() {
        return status;
    }

    /** The {@code Retry-After} of the answer, if it has one. */
    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
