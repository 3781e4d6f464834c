package com.airtableintegrity.notify;

/** A receiver answered a notice with a status other than 2xx: the attempt failed. Its answer is cut short. */
public final class ReceiverRefusedException extends RuntimeException {
    static final int ANSWER_CHARS = 200;

    ReceiverRefusedException(int status, String answer) {
        super("receiver answered HTTP " + status + (answer == null || answer.isBlank() ? ""
                : ": " + cut(answer.replaceAll("\\s+", " ").strip())));
    }

    private static String cut(String answer) {
        return answer.length() <= ANSWER_CHARS ? answer : answer.substring(0, ANSWER_CHARS - 1) + "…";
    }
}
