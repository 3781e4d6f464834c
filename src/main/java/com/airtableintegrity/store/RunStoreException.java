package com.airtableintegrity.store;

/** Any failure (including a timeout) of a {@link RunStore} call against Firestore. */
public class RunStoreException extends RuntimeException {

    public RunStoreException(String message) {
        super(message);
    }

    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
