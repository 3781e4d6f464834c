package com.airtableintegrity.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.Message;

import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.run.ManualRuns;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.run.ScheduleCatalog.Entry;
import com.airtableintegrity.store.RunIds;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.store.SchedulePages;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Timestamp;

/**
 * The bean methods behind {@code /api/schedules} (routes/rest/schedules-api.camel.yaml), in the manner of
 * {@link RunsApi}: plain data back, refusals thrown as {@link ApiRefusal}. A body is read by {@link ScheduleBodies}
 * and checked by the schedule validator; when either finds a problem the answer is 400 listing every one, and
 * nothing is stored. Schedule ids are checked with {@link RunIds} before they reach Firestore.
 */
public final class SchedulesApi {
    private static final List<String> LIST_PARAMETERS = List.of("limit", "after");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    private final ScheduleCatalog catalog;

    public SchedulesApi(ScheduleCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * {@code GET /api/schedules?limit=N&after=C}: the stored schedules by name (default 100, at most 500), after
     * cursor C (the {@code next} of the previous page, null on the last page), or the configured one while none is
     * stored; and under {@code not_applied} every stored document this runner does not apply, with why.
     */
    public Map<String, Object> list(@Header(Exchange.HTTP_QUERY) String query) {
        Map<String, String> params = QueryString.only(query, LIST_PARAMETERS);
        ScheduleCatalog.Page page = catalog.page(cursor(params.get("after")),
                QueryString.limit(params, DEFAULT_LIMIT, MAX_LIMIT));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("schedules", page.schedules().stream().map(this::render).toList());
        body.put("next", page.next() == null ? null : page.next().encode());
        body.put("not_applied", catalog.notApplied().entrySet().stream()
                .map(e -> result(e.getKey(), e.getValue())).toList());
        return body;
    }

    /** {@code GET /api/schedules/{scheduleId}} */
    public Map<String, Object> get(@Header("scheduleId") String id) {
        return render(existing(id));
    }

    /** {@code POST /api/schedules}: 201 with the stored schedule and its {@code Location}; 409 when there are too many. */
    public Map<String, Object> create(Exchange exchange) {
        String id = create(body(exchange));
        Message answer = exchange.getMessage();
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        answer.setHeader("Location", "/api/schedules/" + id);
        return render(existing(id));
    }

    /** {@code PUT /api/schedules/{scheduleId}}: replaces the whole schedule; 404 when there is none. */
    public Map<String, Object> replace(@Header("scheduleId") String idParam, Exchange exchange) {
        String id = storedId(idParam);
        replaceOrNotFound(id, wellFormed(ScheduleBodies.read(body(exchange))));
        return render(existing(id));
    }

    /** {@code PATCH /api/schedules/{scheduleId}}: a JSON merge patch of the schedule; 404 when there is none. */
    public Map<String, Object> patch(@Header("scheduleId") String idParam, Exchange exchange) {
        return patch(idParam, body(exchange));
    }

    /**
     * Stores a new schedule from a body shaped as {@code POST /api/schedules} takes it, for any caller (the console's
     * editor): its id. Refused as that call is: {@link ScheduleCatalog.InvalidSchedule} listing every problem, or an
     * {@link ApiRefusal} (409 when there are too many).
     */
    public String create(JsonNode body) {
        try {
            return catalog.create(wellFormed(ScheduleBodies.read(body)));
        } catch (ScheduleCatalog.TooManySchedules e) {
            throw new ApiRefusal(409, e.getMessage());
        }
    }

    /**
     * A stored schedule, rendered as {@link #get} renders it, for a caller about to change it (the console's editor):
     * 409 for the configured schedule, 404 for none, as a change over HTTP is refused.
     */
    public Map<String, Object> stored(String idParam) {
        return render(existing(storedId(idParam)));
    }

    /** As {@code PATCH /api/schedules/{scheduleId}} with {@code patch}, for any caller. */
    public Map<String, Object> patch(String idParam, JsonNode patch) {
        return patch(idParam, patch, null);
    }

    /**
     * As {@link #patch(String, JsonNode)}, only over the version {@code version} of the schedule (its
     * {@code updated_at} as rendered, read when the console's form was opened; null: any): a save since is not
     * silently overwritten but refused with 409.
     */
    public Map<String, Object> patch(String idParam, JsonNode patch, String version) {
        String id = storedId(idParam);
        Entry current = existing(id);
        ScheduleSpec spec = wellFormed(ScheduleBodies.patch(ScheduleDocuments.toDocument(current.spec()), patch));
        try {
            if (!catalog.replace(id, spec, version == null || version.isBlank() ? null : parseVersion(version))) {
                throw notFound(id);
            }
        } catch (ScheduleDocuments.ChangedMeanwhile e) {
            throw new ApiRefusal(409, "Schedule '" + id + "' was changed by another save (at " + e.updatedAt()
                    + ") since this form was opened, so this save was not stored: open the schedule again to see "
                    + "that change, then make yours");
        }
        return render(existing(id));
    }

    private static Timestamp parseVersion(String version) {
        try {
            return Timestamp.parseTimestamp(version);
        } catch (RuntimeException e) {
            throw new ApiRefusal(400, "The form's version '" + version + "' is not a timestamp: open the schedule "
                    + "again");
        }
    }

    /** {@code DELETE /api/schedules/{scheduleId}}: a run it started goes on to its end. */
    public Map<String, String> delete(@Header("scheduleId") String idParam) {
        String id = storedId(idParam);
        if (!catalog.delete(id)) {
            throw notFound(id);
        }
        return result("deleted", "id", id);
    }

    /** {@code POST /api/schedules/{scheduleId}/run}: a manual run of the schedule, answered like POST /api/runs. */
    public Map<String, String> run(@Header("scheduleId") String id, Message answer) {
        Map<String, String> body = runNow(id);
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return body;
    }

    /** The manual run of {@link #run}, for any caller (the operator console): refused by an {@link ApiRefusal}. */
    public Map<String, String> runNow(String id) {
        Entry schedule = existing(id);
        ManualRuns.Result result;
        try {
            result = catalog.runNow(schedule);
        } catch (ScheduleCatalog.InvalidSchedule e) {
            throw new ApiRefusal(409, "Schedule '" + schedule.id() + "' is stored but not valid, so it cannot run: "
                    + String.join("; ", e.problems()));
        }
        ApiRefusal.unlessAccepted(result);
        return result(result.message(), "schedule_id", schedule.id());
    }

    /**
     * Enables or disables a stored schedule, for the operator console (over HTTP this is a PATCH of
     * {@code enabled}): 409 for the configured schedule, 404 for none, and a schedule that is no longer valid is
     * refused as {@link ScheduleCatalog.InvalidSchedule}, with nothing written.
     */
    public Map<String, Object> setEnabled(String idParam, boolean enabled) {
        String id = storedId(idParam);
        if (!catalog.setEnabled(id, enabled)) {
            throw notFound(id);
        }
        return render(existing(id));
    }

    /**
     * The schedule read, if its shape has no problem. What its values mean is checked by the catalog when it writes.
     * Either way an {@link ScheduleCatalog.InvalidSchedule} becomes a 400 listing every problem ({@link RouteErrors}).
     */
    private static ScheduleSpec wellFormed(ScheduleBodies.Read read) {
        if (!read.problems().isEmpty()) {
            throw new ScheduleCatalog.InvalidSchedule(read.problems());
        }
        return read.spec();
    }

    private void replaceOrNotFound(String id, ScheduleSpec spec) {
        if (!catalog.replace(id, spec)) {
            throw notFound(id); // deleted meanwhile: the transaction wrote nothing
        }
    }

    /** The parsed JSON body, or null when there was none. */
    private static JsonNode body(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof JsonNode node ? node : null;
    }

    private Entry existing(String id) {
        return catalog.find(validId(id)).orElseThrow(() -> notFound(id));
    }

    /** The id of a schedule that can be written: a stored one, never the configured default. */
    private static String storedId(String idParam) {
        String id = validId(idParam);
        if (ScheduleCatalog.DEFAULT_ID.equals(id)) {
            throw new ApiRefusal(409, "Schedule 'default' is the configured schedule (integrity.schedule.cron and "
                    + "integrity.tables in application.yaml) and cannot be changed here: change the configuration, "
                    + "or create schedules with POST /api/schedules (the configured one then stops firing)");
        }
        return id;
    }

    private static String validId(String id) {
        try {
            return RunIds.require("schedule", id);
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, e.getMessage());
        }
    }

    /** {@code {"result": ..., key: value}} in that order. */
    private static Map<String, String> result(String result, String key, String value) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("result", result);
        body.put(key, value);
        return body;
    }

    private static ApiRefusal notFound(String id) {
        return new ApiRefusal(404, "No schedule with id '" + id + "'");
    }

    private static SchedulePages.Cursor cursor(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return SchedulePages.Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiRefusal(400, "Query parameter 'after' must be the 'next' cursor of a previous page, was '"
                    + text + "'");
        }
    }

    /** {@code {"id": ..., "problem": ...}} of a schedule that is not applied. */
    private static Map<String, String> result(String id, String problem) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("problem", problem);
        return body;
    }

    private Map<String, Object> render(Entry entry) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", entry.id());
        body.putAll(ScheduleDocuments.toDocument(entry.spec()));
        if (entry.configured()) {
            body.put("source", "application.yaml");
        } else {
            body.put("source", "firestore");
            body.put("created_at", entry.stored().createdAt());
            body.put("updated_at", entry.stored().updatedAt());
            String problem = catalog.notApplied(entry.id());
            if (problem != null) {
                body.put("not_applied", problem);
            }
        }
        return body;
    }
}
