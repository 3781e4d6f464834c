package com.airtableintegrity.api;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * The Jackson module that makes the REST binding refuse a request body naming one key twice in an object, such as
 * {@code {"cron": "0 0 * * * ?", "cron": "0 * * * * ?"}}: Jackson's own duplicate detection
 * ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}) fails the parse, and {@link RouteErrors} answers 400 naming
 * the key and the object it is in. Without it the last value would win silently, and a reviewer reading the first
 * would approve another schedule than the one stored. Registered, like {@link FirestoreJson}, in the
 * {@code restConfiguration} of routes/rest/runs-api.camel.yaml, so it covers every body the API reads.
 */
public final class StrictJsonKeys extends SimpleModule {

    public StrictJsonKeys() {
        super("StrictJsonKeys");
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        // the REST binding's own mapper (Camel makes one per binding); a module may only read features, so set it here
        context.<ObjectMapper>getOwner().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }
}
