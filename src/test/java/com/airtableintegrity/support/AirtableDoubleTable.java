package com.airtableintegrity.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One table of {@link AirtableDouble}: records serialised once at construction (each field apart too, for
 * {@code fields[]}), each page's record array cached per (position, size[, fields]), so serving a page is a couple of
 * array copies. Knows its field names (those its records carry, plus declared ones) and its primary field.
 */
final class AirtableDoubleTable {

    private static final Instant CREATED_BASE = Instant.parse("2024-01-01T00:00:00Z");
    private static final DateTimeFormatter CREATED_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] RECORDS_PREFIX = AirtableDoubleJson.ascii("{\"records\":[");
    private static final byte[] RECORDS_END = AirtableDoubleJson.ascii("]}");

    final String baseId;
    final String name;
    final String[] ids;
    private final byte[][] json;
    /** Per record: its JSON up to the opening brace of its fields object; then each non-empty field's JSON. */
    private final byte[][] heads;
    private final List<Map<String, byte[]>> fieldJson;
    /** Every field name a record carries (empty or not) or that was declared, in first-seen order. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final List<String> knownInOrder = new CopyOnWriteArrayList<>();
    private volatile String primaryField;
    private final Map<String, Integer> index;
    private final Map<Long, byte[]> pageCache = new ConcurrentHashMap<>();
    private final Map<String, byte[]> projectedPageCache = new ConcurrentHashMap<>();

    AirtableDoubleTable(String baseId, String name, List<? extends Map<String, ?>> records) {
        this.baseId = baseId;
        this.name = name;
        int n = records.size();
        this.ids = new String[n];
        this.json = new byte[n][];
        this.heads = new byte[n][];
        this.fieldJson = new ArrayList<>(n);
        Map<String, Integer> idx = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            Map<String, ?> rec = records.get(i);
            Object id = rec.get("id");
            if (!(id instanceof String) || ((String) id).isEmpty()) {
                throw new IllegalArgumentException("record " + i + " of " + name + " has no string id");
            }
            if (idx.put((String) id, i) != null) {
                throw new IllegalArgumentException("duplicate record id " + id + " in " + name);
            }
            ids[i] = (String) id;
            heads[i] = head(rec, (String) id, i);
            fieldJson.add(fields(rec, (String) id));
            json[i] = recordJson(i, null);
        }
        this.index = Map.copyOf(idx);
    }

    private static byte[] head(Map<String, ?> rec, String id, int i) {
        Object created = rec.get("createdTime");
        String createdTime = created != null ? created.toString()
                : CREATED_FORMAT.format(CREATED_BASE.plusSeconds(i));
        StringBuilder sb = new StringBuilder(96);
        sb.append("{\"id\":");
        AirtableDoubleJson.string(sb, id);
        sb.append(",\"createdTime\":");
        AirtableDoubleJson.string(sb, createdTime);
        sb.append(",\"fields\":{");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Each non-empty field as {@code "name":value}; every field name (empty or not) becomes known. */
    private Map<String, byte[]> fields(Map<String, ?> rec, String id) {
        Object fields = rec.get("fields");
        if (fields != null && !(fields instanceof Map)) {
            throw new IllegalArgumentException("fields of " + id + " is not a map");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (fields == null) {
            return out;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) fields).entrySet()) {
            String field = String.valueOf(e.getKey());
            declare(field);
            if (AirtableDoubleJson.isEmptyField(e.getValue())) {
                continue;
            }
            StringBuilder sb = new StringBuilder(64);
            AirtableDoubleJson.string(sb, field);
            sb.append(':');
            AirtableDoubleJson.value(sb, e.getValue());
            out.put(field, sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Record {@code i} with only {@code projection}'s fields (null: all). */
    private byte[] recordJson(int i, Set<String> projection) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        bos.write(heads[i], 0, heads[i].length);
        boolean first = true;
        for (Map.Entry<String, byte[]> f : fieldJson.get(i).entrySet()) {
            if (projection != null && !projection.contains(f.getKey())) {
                continue;
            }
            if (!first) {
                bos.write(',');
            }
            first = false;
            bos.write(f.getValue(), 0, f.getValue().length);
        }
        bos.write('}');
        bos.write('}');
        return bos.toByteArray();
    }

    /** A field's type and {@code options} (raw JSON) as the schema lists them; absent: singleLineText, none. */
    record FieldType(String type, String optionsJson) {
    }

    private final Map<String, FieldType> types = new ConcurrentHashMap<>();

    void type(String field, String type, String optionsJson) {
        declare(field);
        types.put(field, new FieldType(type, optionsJson));
    }

    FieldType typeOf(String field) {
        return types.getOrDefault(field, new FieldType("singleLineText", null));
    }

    /** Makes a field known even if no record carries it (Airtable's schema lists every field). */
    void declare(String field) {
        if (known.add(field)) {
            knownInOrder.add(field);
        }
    }

    /** The field that the schema names primary: the declared one, else the first known field. */
    String primaryField() {
        String p = primaryField;
        return p != null ? p : knownInOrder.isEmpty() ? "Name" : knownInOrder.get(0);
    }

    void primaryField(String field) {
        declare(field);
        primaryField = field;
    }

    /** Known fields in first-seen order. */
    List<String> knownFields() {
        return List.copyOf(knownInOrder);
    }

    /** The first of {@code fields} the table does not know, or null. */
    String firstUnknown(List<String> fields) {
        for (String f : fields) {
            if (!known.contains(f)) {
                return f;
            }
        }
        return null;
    }

    int size() {
        return ids.length;
    }

    /** Position of the record with this id, or null. */
    Integer positionOf(String recordId) {
        return index.get(recordId);
    }

    /**
     * {@code {"records":[from..to),"offset":nextOffset}}, the offset omitted when null; each record with only the
     * {@code fields} asked for (null: all).
     */
    byte[] body(int from, int to, String nextOffset, List<String> fields) {
        byte[] records = fields == null
                ? pageCache.computeIfAbsent(((long) from << 32) | to, k -> join(from, to, null))
                : projectedPageCache.computeIfAbsent(from + "/" + to + "/" + String.join("\u0000", fields),
                        k -> join(from, to, Set.copyOf(fields)));
        byte[] tail;
        if (nextOffset == null) {
            tail = RECORDS_END;
        } else {
            StringBuilder sb = new StringBuilder(48);
            sb.append("],\"offset\":");
            AirtableDoubleJson.string(sb, nextOffset);
            sb.append('}');
            tail = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = new byte[RECORDS_PREFIX.length + records.length + tail.length];
        System.arraycopy(RECORDS_PREFIX, 0, out, 0, RECORDS_PREFIX.length);
        System.arraycopy(records, 0, out, RECORDS_PREFIX.length, records.length);
        System.arraycopy(tail, 0, out, RECORDS_PREFIX.length + records.length, tail.length);
        return out;
    }

    private byte[] join(int from, int to, Set<String> projection) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(16, (to - from) * 200));
        for (int i = from; i < to; i++) {
            if (i > from) {
                bos.write(',');
            }
            byte[] record = projection == null ? json[i] : recordJson(i, projection);
            bos.write(record, 0, record.length);
        }
        return bos.toByteArray();
    }
}
