package com.airtableintegrity.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request target parsed the way {@link AirtableDouble} routes it: {@code /v0/{baseId}/{tableName}} (percent-decoded;
 * both null for any other path), the first {@code pageSize} and {@code offset} query parameters and every
 * {@code fields[]} one; or the schema path {@code /v0/meta/bases/{baseId}/tables} ({@link #schemaBaseId}).
 */
final class AirtableDoubleTarget {
    private static final String SCHEMA_PREFIX = "/v0/meta/bases/";
    private static final String SCHEMA_SUFFIX = "/tables";

    final String baseId;
    final String tableName;
    /** Raw {@code pageSize} value, null if absent. */
    final String pageSizeRaw;
    /** {@code pageSize} as a number, null if absent or not a number. */
    final Integer pageSize;
    final String offset;
    /** The {@code fields[]} values in order, null when there is none (all fields). */
    final List<String> fields;
    /** The base of a schema request {@code /v0/meta/bases/{baseId}/tables}, else null. */
    final String schemaBaseId;

    private AirtableDoubleTarget(String baseId, String tableName, String pageSizeRaw, Integer pageSize,
                                 String offset, List<String> fields, String schemaBaseId) {
        this.fields = fields;
        this.schemaBaseId = schemaBaseId;
        this.baseId = baseId;
        this.tableName = tableName;
        this.pageSizeRaw = pageSizeRaw;
        this.pageSize = pageSize;
        this.offset = offset;
    }

    static AirtableDoubleTarget parse(String target) {
        String path = target;
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String baseId = null;
        String tableName = null;
        String schemaBaseId = null;
        if (path.startsWith(SCHEMA_PREFIX) && path.endsWith(SCHEMA_SUFFIX)
                && path.length() > SCHEMA_PREFIX.length() + SCHEMA_SUFFIX.length()) {
            String id = path.substring(SCHEMA_PREFIX.length(), path.length() - SCHEMA_SUFFIX.length());
            schemaBaseId = id.indexOf('/') < 0 ? percentDecode(id, false) : null;
        } else if (path.startsWith("/v0/")) {
            String rest = path.substring(4);
            int slash = rest.indexOf('/');
            if (slash > 0 && slash < rest.length() - 1 && rest.indexOf('/', slash + 1) < 0) {
                baseId = percentDecode(rest.substring(0, slash), false);
                tableName = percentDecode(rest.substring(slash + 1), false);
            }
        }
        String pageSizeRaw = null;
        String offset = null;
        List<String> fields = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
                if (pageSizeRaw == null && key.equals("pageSize")) {
                    pageSizeRaw = value;
                } else if (offset == null && key.equals("offset")) {
                    offset = value;
                } else if (key.equals("fields[]")) {
                    fields = fields == null ? new ArrayList<>() : fields;
                    fields.add(value);
                }
            }
        }
        Integer pageSize = null;
        if (pageSizeRaw != null) {
            try {
                pageSize = Integer.valueOf(pageSizeRaw.trim());
            } catch (NumberFormatException e) {
                pageSize = null;
            }
        }
        return new AirtableDoubleTarget(baseId, tableName, pageSizeRaw, pageSize, offset, fields, schemaBaseId);
    }

    /** Absent, or a number in 1..100. */
    boolean pageSizeValid() {
        return pageSizeRaw == null || (pageSize != null && pageSize >= 1 && pageSize <= 100);
    }

    /** The page size to serve: the valid given one, else 100. */
    int effectivePageSize() {
        return pageSizeRaw != null && pageSizeValid() ? pageSize : 100;
    }

    private static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bos.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
            } else if (ch == '+' && plusIsSpace) {
                bos.write(' ');
                i++;
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                bos.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return bos.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
