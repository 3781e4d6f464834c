package com.airtableintegrity.store;

import java.util.regex.Pattern;

/**
 * The form of a run id: Firestore's auto ids (20 letters and digits) and the ids other writers of the collection use
 * (UUIDs, say): up to 128 letters, digits, {@code -} and {@code _}, starting with a letter or digit. Every run id
 * that reaches the store classes (over {@link RunCollection}) is checked against it, so that a value such as
 * {@code RID/issues/000000} can never address another document, and {@code __x__} (reserved by Firestore) never
 * reaches the client.
 */
public final class RunIds {
    public static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private RunIds() {
    }

    public static boolean isValid(String runId) {
        return runId != null && FORM.matcher(runId).matches();
    }

    /** @throws IllegalArgumentException naming the id (cut to 80 characters) and the allowed form */
    public static String require(String runId) {
        return require("run", runId);
    }

    /**
     * The same form for any document id that comes from outside ({@code kind}: "run", "schedule").
     * @throws IllegalArgumentException naming the id (cut to 80 characters) and the allowed form
     */
    public static String require(String kind, String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " id '"
                    + excerpt(id) + "' is not valid: a " + kind + " id is 1 to 128 letters, digits, '-' or '_', "
                    + "starting with a letter or digit");
        }
        return id;
    }

    private static String excerpt(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
