package com.airtableintegrity.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One table of {@link AirtableDouble}: records serialised once at construction, each page's record array cached
 * per (position, size), so serving a page is a couple of array copies.
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
    private final Map<String, Integer> index;
    private final Map<Long, byte[]> pageCache = new ConcurrentHashMap<>();

    AirtableDoubleTable(String baseId, String name, List<? extends Map<String, ?>> records) {
        this.baseId = baseId;
        this.name = name;
        int n = records.size();
        this.ids = new String[n];
        this.json = new byte[n][];
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
            json[i] = serialise(rec, (String) id, i);
        }
        this.index = Map.copyOf(idx);
    }

    private static byte[] serialise(Map<String, ?> rec, String id, int i) {
        Object created = rec.get("createdTime");
        String createdTime = created != null ? created.toString()
                : CREATED_FORMAT.format(CREATED_BASE.plusSeconds(i));
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"id\":");
        AirtableDoubleJson.string(sb, id);
        sb.append(",\"createdTime\":");
        AirtableDoubleJson.string(sb, createdTime);
        sb.append(",\"fields\":{");
        Object fields = rec.get("fields");
        if (fields instanceof Map) {
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) fields).entrySet()) {
                if (AirtableDoubleJson.isEmptyField(e.getValue())) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                AirtableDoubleJson.string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                AirtableDoubleJson.value(sb, e.getValue());
            }
        } else if (fields != null) {
            throw new IllegalArgumentException("fields of " + id + " is not a map");
        }
        sb.append("}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    int size() {
        return ids.length;
    }

    /** Position of the record with this id, or null. */
    Integer positionOf(String recordId) {
        return index.get(recordId);
    }

    /** {@code {"records":[from..to),"offset":nextOffset}}, the offset omitted when null. */
    byte[] body(int from, int to, String nextOffset) {
        byte[] records = pageCache.computeIfAbsent(((long) from << 32) | to, k -> join(from, to));
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

    private byte[] join(int from, int to) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(16, (to - from) * 200));
        for (int i = from; i < to; i++) {
            if (i > from) {
                bos.write(',');
            }
            bos.write(json[i], 0, json[i].length);
        }
        return bos.toByteArray();
    }
}
