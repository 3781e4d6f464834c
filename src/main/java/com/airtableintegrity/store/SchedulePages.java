package com.airtableintegrity.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/** The shapes of a page of schedules: by name, then id; each page ends at a {@link Cursor} the next one starts after. */
public final class SchedulePages {
    private SchedulePages() {
    }

    /**
     * Where a page ends: its last schedule's name and id, written {@code <name, base64url>.<id>} (both parts are
     * letters, digits, {@code -} and {@code _}, so the text needs no escaping in a query string).
     */
    public record Cursor(String name, String id) {
        public Cursor {
            Objects.requireNonNull(name, "name");
            RunIds.require("schedule", id);
        }

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8))
                    + "." + id;
        }

        /** @throws IllegalArgumentException when the text is not a cursor */
        public static Cursor parse(String text) {
            int dot = text == null ? -1 : text.lastIndexOf('.');
            if (dot < 0 || !RunIds.isValid(text.substring(dot + 1))) {
                throw new IllegalArgumentException("not a cursor");
            }
            byte[] name = Base64.getUrlDecoder().decode(text.substring(0, dot)); // throws IllegalArgumentException
            return new Cursor(new String(name, StandardCharsets.UTF_8), text.substring(dot + 1));
        }
    }

    /** One page of stored schedules and the cursor of the next page, or null on the last. */
    public record Page(List<ScheduleDocuments.Stored> schedules, Cursor next) {
    }
}
