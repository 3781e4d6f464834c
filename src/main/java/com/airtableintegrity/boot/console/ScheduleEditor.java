package com.airtableintegrity.boot.console;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.airtableintegrity.api.ApiRefusal;
import com.airtableintegrity.api.QueryString;
import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.editor.CronPreview;
import com.airtableintegrity.editor.WhenItRuns;
import com.airtableintegrity.run.ScheduleCatalog;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The schedule editor (operator role): a new schedule at {@code /schedules/new} (or a copy of one:
 * {@code ?from=<id>}), a stored one at {@code /schedules/{id}/edit}, its deletion at {@code /schedules/{id}/delete}
 * after a confirmation. The form posts back to its own address; {@code action=save} stores it through the same calls
 * as {@code POST} / {@code PATCH /api/schedules} (one validation), anything else ({@code preview}, {@code more-rows})
 * shows the form again with what was typed. A refused save answers 400 with every problem next to its field and
 * nothing stored.
 */
@Controller
public class ScheduleEditor {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleEditor.class);
    /** Firing times the form shows. */
    static final int PREVIEW_TIMES = 5;
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm (xxx)",
            Locale.UK);
    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().toList();
    /** The week's days for the weekly preset: enum name → English name. */
    private static final Map<String, String> DAYS = Arrays.stream(DayOfWeek.values()).collect(Collectors.toMap(
            DayOfWeek::name, d -> d.getDisplayName(TextStyle.FULL, Locale.UK), (a, b) -> a, LinkedHashMap::new));

    private final SchedulesApi schedulesApi;
    private final SchemaPanel schema;
    private final Clock clock;

    public ScheduleEditor(SchedulesApi schedulesApi, SchemaPanel schema) {
        this.schedulesApi = schedulesApi;
        this.schema = schema;
        this.clock = Clock.systemUTC();
    }

    /** {@code GET /schedules/new[?from=<id>]}: a blank form, or a copy of schedule {@code from}. */
    @GetMapping("/schedules/new")
    public String blank(HttpServletRequest request, Model model) {
        String from = QueryString.only(request.getQueryString(), List.of("from")).get("from");
        ScheduleForm form;
        if (from == null) {
            form = ScheduleForm.blank();
        } else {
            form = ScheduleForm.of(schedulesApi.get(from));
            form.name = "Copy of " + form.name;
        }
        return show(form, null, model);
    }

    /** {@code POST /schedules/new}: stores the schedule ({@code action=save}) or shows the form again. */
    @PostMapping("/schedules/new")
    public String create(@RequestParam MultiValueMap<String, String> fields, HttpServletRequest request,
                         HttpServletResponse response, Model model, RedirectAttributes flash) {
        QueryString.only(request.getQueryString(), List.of());
        return submit(ScheduleForm.posted(fields), fields, null, schedulesApi::create, response, model, flash);
    }

    /** {@code GET /schedules/{id}/edit}: the stored schedule's form. */
    @GetMapping("/schedules/{scheduleId}/edit")
    public String edit(@PathVariable String scheduleId, HttpServletRequest request, Model model) {
        QueryString.only(request.getQueryString(), List.of());
        Map<String, Object> schedule = schedulesApi.stored(scheduleId);
        ScheduleForm form = ScheduleForm.of(schedule);
        form.withSchema = true;
        return show(form, String.valueOf(schedule.get("id")), model);
    }

    /** {@code POST /schedules/{id}/edit}: replaces what the form holds ({@code action=save}) or shows it again. */
    @PostMapping("/schedules/{scheduleId}/edit")
    public String update(@PathVariable String scheduleId, @RequestParam MultiValueMap<String, String> fields,
                         HttpServletRequest request, HttpServletResponse response, Model model,
                         RedirectAttributes flash) {
        QueryString.only(request.getQueryString(), List.of());
        Map<String, Object> schedule = schedulesApi.stored(scheduleId);
        String id = String.valueOf(schedule.get("id"));
        ScheduleForm form = ScheduleForm.posted(fields);
        return submit(form, fields, id, body -> String.valueOf(schedulesApi.patch(id, body, form.version).get("id")),
                response, model, flash);
    }

    /**
     * A posted form: saved through {@code store} ({@code action=save}; then to the schedule's page, or 400 with the
     * form and its problems) or shown again. {@code id} is the schedule edited, null for a new one.
     */
    private String submit(ScheduleForm form, MultiValueMap<String, String> fields, String id,
                          Function<ObjectNode, String> store, HttpServletResponse response, Model model,
                          RedirectAttributes flash) {
        if (!"save".equals(fields.getFirst("action"))) {
            return again(form, fields, id, model);
        }
        String saved = save(form, store);
        if (saved == null) {
            response.setStatus(400);
            return again(form, fields, id, model);
        }
        flash.addFlashAttribute("flash", new ConsoleActions.Flash("done", "Schedule " + saved
                + (id == null ? " created" : " saved")));
        return "redirect:/schedules/" + saved;
    }

    /** {@code GET /schedules/{id}/delete}: what deleting it does, and the button that does it. */
    @GetMapping("/schedules/{scheduleId}/delete")
    public String confirmDelete(@PathVariable String scheduleId, HttpServletRequest request, Model model) {
        QueryString.only(request.getQueryString(), List.of());
        Map<String, Object> schedule = schedulesApi.stored(scheduleId);
        model.addAttribute("schedule", ConsoleModel.ScheduleView.of(schedule));
        return "console/schedule-delete";
    }

    /** {@code POST /schedules/{id}/delete}: deletes it; a run it started goes on to its end. Back to {@code /}. */
    @PostMapping("/schedules/{scheduleId}/delete")
    public String delete(@PathVariable String scheduleId, HttpServletRequest request, RedirectAttributes flash) {
        QueryString.only(request.getQueryString(), List.of());
        String id = schedulesApi.delete(scheduleId).get("id");
        LOG.info("Console: schedule {} deleted", id);
        flash.addFlashAttribute("flash", new ConsoleActions.Flash("done", "Schedule " + id
                + " deleted: it fires no more; a run it started goes on to its end"));
        return "redirect:/";
    }

    /** Stores through {@code store}: the id, or null when refused (the problems placed on the form). */
    private static String save(ScheduleForm form, Function<ObjectNode, String> store) {
        form.takeSuggestions();
        ObjectNode body = form.body(); // places what the form itself cannot read (a minute, a number)
        if (form.hasErrors()) {
            return null;
        }
        try {
            String id = store.apply(body);
            LOG.info("Console: schedule {} saved", id);
            return id;
        } catch (ScheduleCatalog.InvalidSchedule invalid) {
            form.place(invalid.problems());
            return null;
        } catch (ApiRefusal refusal) {
            if (refusal.status() != 409) {
                throw refusal;
            }
            form.place(List.of(refusal.getMessage()));
            return null;
        }
    }

    private String again(ScheduleForm form, MultiValueMap<String, String> fields, String id, Model model) {
        if ("more-rows".equals(fields.getFirst("action"))) {
            form.rows.add(ScheduleForm.Row.blank());
        }
        if ("read-schema".equals(fields.getFirst("action"))) {
            form.withSchema = true;
        }
        form.padRows();
        return show(form, id, model);
    }

    private String show(ScheduleForm form, String id, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("scheduleId", id);
        model.addAttribute("heading", id == null ? "New schedule" : "Edit schedule " + id);
        model.addAttribute("action", id == null ? "/schedules/new" : "/schedules/" + id + "/edit");
        model.addAttribute("zones", ZONES);
        model.addAttribute("days", DAYS);
        model.addAttribute("ruleTypes", ScheduleForm.ROW_TYPES);
        WhenItRuns when = form.errorsAt("when").isEmpty() ? quietly(form) : null;
        model.addAttribute("sentence", when == null ? "" : when.sentence());
        List<String> times = List.of();
        if (when != null) {
            try {
                times = CronPreview.next(when.cron(), ZoneId.of(form.timeZone.trim()), clock.instant(),
                        PREVIEW_TIMES).stream().map((ZonedDateTime t) -> t.format(SHOWN)).toList();
            } catch (DateTimeException e) {
                times = List.of(); // an unknown zone: the save names it
            }
        }
        model.addAttribute("nextTimes", times);
        model.addAttribute("schema", form.withSchema ? schema.of(form) : null);
        return "console/schedule-edit";
    }

    /** When it runs, without placing a problem (the preview of a form that may not be finished). */
    private static WhenItRuns quietly(ScheduleForm form) {
        ScheduleForm probe = new ScheduleForm();
        probe.preset = form.preset;
        probe.minute = form.minute;
        probe.time = form.time;
        probe.day = form.day;
        probe.cron = form.cron;
        return probe.when();
    }
}
