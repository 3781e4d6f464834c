package com.airtableintegrity.store;

import java.util.Set;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;

/** Any failure (including a timeout) of a store call against Firestore ({@link RunCollection}). */
public class RunStoreException extends RuntimeException {
    /** Firestore's answers that say the request itself is wrong: the same request would fail again. */
    private static final Set<StatusCode.Code> PERMANENT = Set.of(StatusCode.Code.INVALID_ARGUMENT,
            StatusCode.Code.RESOURCE_EXHAUSTED, StatusCode.Code.FAILED_PRECONDITION, StatusCode.Code.OUT_OF_RANGE,
            StatusCode.Code.PERMISSION_DENIED, StatusCode.Code.UNAUTHENTICATED, StatusCode.Code.NOT_FOUND,
            StatusCode.Code.ALREADY_EXISTS, StatusCode.Code.UNIMPLEMENTED);

    public RunStoreException(String message) {
        super(message);
    }

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * False when Firestore rejected the request itself (too large, invalid, not allowed): retrying it cannot help.
     * Timeouts, unavailability and aborted transactions are worth another attempt.
     */
    public boolean retryable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return !PERMANENT.contains(api.getStatusCode().getCode());
            }
            if (t instanceof io.grpc.StatusRuntimeException grpc) {
                return !PERMANENT.contains(StatusCode.Code.valueOf(grpc.getStatus().getCode().name()));
            }
        }
        return true;
    }
}
