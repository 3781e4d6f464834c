package com.airtableintegrity.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.google.cloud.Timestamp;

/**
 * The Jackson module of the REST API's JSON (registered once, in the {@code restConfiguration} of
 * routes/rest/runs-api.camel.yaml): a Firestore {@link Timestamp} is written as an ISO-8601 instant in UTC at
 * millisecond precision, e.g. {@code "started_at":"2026-11-28T20:22:45.199Z"}.
 */
public final class FirestoreJson extends SimpleModule {

    public FirestoreJson() {
        super("FirestoreJson");
        addSerializer(Timestamp.class, new StdSerializer<>(Timestamp.class) {
            @Override
            public void serialize(Timestamp value, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeString(value.toDate().toInstant().toString());
            }
        });
    }
}
