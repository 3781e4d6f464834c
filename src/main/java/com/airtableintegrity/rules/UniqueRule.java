package com.airtableintegrity.rules;

import com.airtableintegrity.config.RuleSpec;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code unique}: records without a value ({@link Values#isEmpty}) are skipped. Values are identical when both are
 * strings and equal exactly (case-sensitive), or both are non-strings with the same compact JSON text (so the
 * string {@code "1"} and the number {@code 1} differ; arrays compare as a whole, element order included).
 * <p>
 * Nothing is emitted or counted until {@link #finishTable()}: then every record whose value is shared with at least
 * one other record gets one issue, and the count is the number of such records. Issues are grouped by value, the
 * groups in the order in which their value was first seen a second time, records in scan order. Message:
 * {@code Value 'a@x.com' of 'Email' is shared by 3 records: recA, recB, recC} (at most 10 ids, then
 * {@code and N more}).
 * <p>
 * Memory: values are not kept. Each distinct value is remembered by a 128-bit digest (the first 16 bytes of SHA-256
 * over a type byte, string or JSON, then the text's UTF-16 code units), so a 1 MB value costs what a 1-character one
 * does: about 73 bytes per distinct value (32 B map entry, 32 B digest key, 4 to 8 B table slot; measured with 10⁶
 * values on 64-bit OpenJDK 17 with compressed oops), plus the first record id, a String that the page held anyway
 * (64 B for a 17-character id). Only values seen twice or more also keep an excerpt ({@link Values#excerpt}, at most
 * 200 characters) for the message, and the list of ids sharing them. Two different values would be taken as equal
 * only if their digests collide: with n distinct values the chance is about n²/2¹²⁹, e.g. 10⁻²¹ for a billion.
 */
final class UniqueRule extends Rule {
    static final int MAX_LISTED_IDS = 10;
    private static final byte STRING = 'S';
    private static final byte NON_STRING = 'J';

    /** A value's identity: the first 16 bytes of its SHA-256, as two longs. */
    private record Digest(long high, long low) {
    }

    /** A value seen twice or more: what its issues need, and nothing of the value beyond the excerpt. */
    private record Shared(String excerpt, List<String> ids) {
    }

    private final MessageDigest sha256;
    /** Reused to feed the digest without encoding a big value into one big byte array. */
    private final ByteBuffer chunk = ByteBuffer.allocate(8192);
    /** digest → first record id (String) or, once the value is shared, its {@link Shared}. */
    private Map<Digest, Object> seen = new HashMap<>();
    /** Shared values, in the order in which they became shared. */
    private List<Shared> shared = new ArrayList<>();
    private boolean finished;

    UniqueRule(String table, RuleSpec spec, Consumer<Issue> sink) {
        super(table, spec, sink);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    void accept(String recordId, JsonNode value) {
        if (Values.isEmpty(value)) {
            return;
        }
        boolean isString = Values.isString(value);
        String text = Values.text(value);
        Digest digest = digest(isString ? STRING : NON_STRING, text);
        Object previous = seen.putIfAbsent(digest, recordId);
        if (previous == null) {
            return;
        }
        if (previous instanceof String firstId) {
            List<String> ids = new ArrayList<>(4);
            ids.add(firstId);
            ids.add(recordId);
            Shared group = new Shared(Values.excerpt(text), ids);
            seen.put(digest, group);
            shared.add(group);
        } else {
            ((Shared) previous).ids().add(recordId);
        }
    }

    /**
     * SHA-256 of the type byte followed by the text's UTF-16 code units (not UTF-8, which would map every lone
     * surrogate to '?' and make such strings collide), cut to 16 bytes.
     */
    private Digest digest(byte type, String text) {
        sha256.reset();
        sha256.update(type);
        int i = 0;
        int n = text.length();
        while (i < n) {
            chunk.clear();
            while (i < n && chunk.remaining() >= Character.BYTES) {
                chunk.putChar(text.charAt(i++));
            }
            chunk.flip();
            sha256.update(chunk);
        }
        ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
        return new Digest(hash.getLong(0), hash.getLong(Long.BYTES));
    }

    @Override
    void finishTable() {
        if (finished) {
            return;
        }
        finished = true;
        for (Shared group : shared) {
            String message = message(group.excerpt(), group.ids());
            for (String id : group.ids()) {
                emit(id, group.excerpt(), message);
            }
        }
        seen = new HashMap<>();
        shared = new ArrayList<>();
    }

    private String message(String excerpt, List<String> ids) {
        int listed = Math.min(ids.size(), MAX_LISTED_IDS);
        StringBuilder sb = new StringBuilder(64 + excerpt.length() + 20 * listed);
        sb.append("Value '").append(excerpt).append("' of ").append(quoted(field))
                .append(" is shared by ").append(ids.size()).append(" records: ");
        for (int i = 0; i < listed; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(Values.excerpt(ids.get(i))); // ids come from data too: never let one make the message huge
        }
        if (ids.size() > listed) {
            sb.append(" and ").append(ids.size() - listed).append(" more");
        }
        return sb.toString();
    }

    @Override
    void reset() {
        super.reset();
        seen = new HashMap<>();
        shared = new ArrayList<>();
        finished = false;
    }
}
