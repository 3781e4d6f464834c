package com.airtableintegrity.store;

/** A stored schedule document that is not a schedule: its id, the field at fault and why. */
public final class MalformedSchedule extends RuntimeException {
    private final String id;

    MalformedSchedule(String id, String message) {
        super("Schedule document '" + id + "' is malformed: " + message + "; fix or delete the document");
        this.id = id;
    }

    /** The document's id. */
    public String id() {
        return id;
    }
}
