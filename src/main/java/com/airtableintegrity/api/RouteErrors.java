package com.airtableintegrity.api;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.store.MalformedSchedule;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;

/**
 * Every error answer of the REST routes, from one place (routeConfiguration {@code integrity-api-errors}): an
 * {@link ApiRefusal} becomes its 4xx, an invalid schedule or a request body that is not JSON a 400, any other
 * exception a 500 that says nothing internal; either is an {@link ApiError} in JSON with its one log line (a 500's
 * stack trace at DEBUG only).
 */
public final class RouteErrors {
    public void answer(Exchange exchange) {
        Message m = exchange.getMessage();
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiError error;
        if (caught instanceof ApiRefusal refusal) {
            error = ApiError.of(refusal.status(), refusal.getMessage(), path(m));
            refusal.retryAfterSeconds().ifPresent(s -> m.setHeader("Retry-After", String.valueOf(s)));
            caught = null;
        } else if (caught instanceof ScheduleCatalog.InvalidSchedule invalid) {
            // nothing was stored; each problem names its JSON path
            error = ApiError.of(400, invalid.getMessage(), path(m)).withProblems(invalid.problems());
            caught = null;
        } else if (caught instanceof MalformedSchedule malformed) {
            // a document written to Firestore by hand: named, with its field, for whoever can fix or delete it
            error = ApiError.of(409, malformed.getMessage(), path(m));
            caught = null;
        } else if (caught instanceof JsonProcessingException json) {
            // the REST binding parses a JSON body before the verb runs
            error = ApiError.of(400, "The request body is not valid JSON: " + json.getOriginalMessage()
                    + where(json), path(m));
            caught = null;
        } else {
            error = ApiError.of(500, ApiError.INTERNAL_MESSAGE, path(m));
        }
        error.log(m.getHeader(Exchange.HTTP_METHOD, "", String.class), caught);
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        m.setHeader(Exchange.CONTENT_TYPE, ApiError.CONTENT_TYPE);
        m.setBody(error.toJson());
    }

    /**
     * Where the parse stopped: the object or array it was in, as a JSON path ({@code $.tables[0].rules[1]}, so a
     * repeated key is named with the object that repeats it), and the line and column.
     */
    private static String where(JsonProcessingException e) {
        String in = e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                ? " in " + jsonPath(parser.getParsingContext().getParent()) : "";
        JsonLocation at = e.getLocation();
        return in + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }

    /** The JSON path of the value a parsing context is at: {@code $} for the whole body. */
    private static String jsonPath(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            path.insert(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return path.insert(0, '$').toString();
    }

    /** The request path as received (without the query: Vert.x, under Quarkus, puts it in HTTP_URI). */
    private static String path(Message m) {
        String uri = m.getHeader(Exchange.HTTP_URI, String.class);
        return uri != null ? uri.split("\\?", 2)[0] : m.getHeader(Exchange.HTTP_PATH, "", String.class);
    }
}
