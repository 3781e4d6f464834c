package com.airtableintegrity.airtable;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One page of {@code GET /v0/{base}/{table}}: its records and the offset of the next page (null on the last page).
 * The whole page is parsed and checked before any record reaches the rules, so a broken page never counts half.
 */
public record AirtablePage(List<Record> records, String offset) {

    /** A record as the rules need it: its id and its {@code fields} object. */
    public record Record(String id, JsonNode fields) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @throws MalformedPageException when the body is not JSON or not shaped like a list-records answer
     */
    public static AirtablePage parse(InputStream body) {
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedPageException("the answer is not a JSON object");
            }
            List<Record> records = null;
            String offset = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("records".equals(name)) {
                    records = readRecords(p, value);
                } else if ("offset".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new MalformedPageException("'offset' is not a string");
                    }
                    offset = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new MalformedPageException("the JSON answer ends early");
            }
            if (records == null) {
                throw new MalformedPageException("the answer has no 'records' array");
            }
            return new AirtablePage(records, offset);
        } catch (IOException e) {
            throw new MalformedPageException("malformed JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static List<Record> readRecords(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new MalformedPageException("'records' is not an array");
        }
        List<Record> records = new ArrayList<>(100);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new MalformedPageException("record " + records.size() + " is not a JSON object");
            }
            String id = null;
            JsonNode fields = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                if ("id".equals(name) && token == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else if ("fields".equals(name) && token == JsonToken.START_OBJECT) {
                    fields = p.readValueAsTree();
                } else {
                    p.skipChildren();
                }
            }
            if (id == null) {
                throw new MalformedPageException("record " + records.size() + " has no string 'id'");
            }
            records.add(new Record(id, fields == null ? JsonNodeFactory.instance.objectNode() : fields));
        }
        return records;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The answer was not a list-records page. */
    public static final class MalformedPageException extends RuntimeException {
        public MalformedPageException(String message) {
            super(message);
        }
    }
}
