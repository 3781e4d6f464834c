package com.airtableintegrity.demo;

/** The demo profile cannot start: its message is one line saying what to do ({@link DemoSetupFailureAnalyzer}). */
public final class DemoSetupException extends RuntimeException {
    public DemoSetupException(String message) {
        super(message, null, false, false);
    }

    public DemoSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
