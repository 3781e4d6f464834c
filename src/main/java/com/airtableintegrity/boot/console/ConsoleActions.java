package com.airtableintegrity.boot.console;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.airtableintegrity.api.ApiRefusal;
import com.airtableintegrity.api.QueryString;
import com.airtableintegrity.api.RunsApi;
import com.airtableintegrity.api.SchedulesApi;
import com.airtableintegrity.run.ScheduleCatalog;
import com.airtableintegrity.store.RunIds;

/**
 * The console's forms (POST, then a redirect to the page: POST-redirect-GET), each done by the object behind the
 * same REST call: cancel a run ({@code POST /api/runs/{id}/cancel}), run a schedule now
 * ({@code POST /api/schedules/{id}/run}), enable or disable a stored schedule. What it did, or why it was refused
 * (409, 429, an invalid schedule), is shown on the page it redirects to as a flash message; an invalid or unknown id
 * is answered in the JSON error shape like a bad request to the API ({@link ConsoleErrors}).
 */
@Controller
public class ConsoleActions {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleActions.class);

    /** The flash message on the page after an action: {@code kind} is {@code done} or {@code refused}. */
    public record Flash(String kind, String message) {
    }

    private final RunsApi runsApi;
    private final SchedulesApi schedulesApi;

    public ConsoleActions(RunsApi runsApi, SchedulesApi schedulesApi) {
        this.runsApi = runsApi;
        this.schedulesApi = schedulesApi;
    }

    /** {@code POST /runs/{runId}/cancel}: back to the run's page. */
    @PostMapping("/runs/{runId}/cancel")
    public String cancel(@PathVariable String runId, HttpServletRequest request, RedirectAttributes flash) {
        act(request, flash, () -> {
            runsApi.requestCancel(runId);
            return "Cancel requested for run " + runId + ": its runner stops within one page";
        });
        return "redirect:/runs/" + RunIds.require(runId);
    }

    /** {@code POST /schedules/{scheduleId}/run}: a manual run of the schedule; back to {@code /}. */
    @PostMapping("/schedules/{scheduleId}/run")
    public String runNow(@PathVariable String scheduleId, HttpServletRequest request, RedirectAttributes flash) {
        act(request, flash, () -> "Schedule " + scheduleId + ": " + schedulesApi.runNow(scheduleId).get("result"));
        return "redirect:/";
    }

    /** {@code POST /schedules/{scheduleId}/enable}: back to {@code /}. */
    @PostMapping("/schedules/{scheduleId}/enable")
    public String enable(@PathVariable String scheduleId, HttpServletRequest request, RedirectAttributes flash) {
        return setEnabled(scheduleId, true, request, flash);
    }

    /** {@code POST /schedules/{scheduleId}/disable}: back to {@code /}. */
    @PostMapping("/schedules/{scheduleId}/disable")
    public String disable(@PathVariable String scheduleId, HttpServletRequest request, RedirectAttributes flash) {
        return setEnabled(scheduleId, false, request, flash);
    }

    private String setEnabled(String scheduleId, boolean enabled, HttpServletRequest request,
                              RedirectAttributes flash) {
        act(request, flash, () -> {
            Map<String, Object> schedule = schedulesApi.setEnabled(scheduleId, enabled);
            return "Schedule " + schedule.get("id") + " " + (enabled ? "enabled" : "disabled")
                    + ": every runner follows within seconds";
        });
        return "redirect:/";
    }

    /**
     * Does the action and flashes what it did; a 409 or 429 refusal, or an invalid schedule, is flashed instead. Any
     * other refusal (400, 404) is thrown on, to be answered in JSON. The forms take no query parameters.
     */
    private static void act(HttpServletRequest request, RedirectAttributes flash, Supplier<String> action) {
        QueryString.only(request.getQueryString(), List.of());
        try {
            String done = action.get();
            LOG.info("Console: {}", done);
            flash.addFlashAttribute("flash", new Flash("done", done));
        } catch (ApiRefusal refusal) {
            if (refusal.status() != 409 && refusal.status() != 429) {
                throw refusal;
            }
            LOG.info("Console: refused ({}): {}", refusal.status(), refusal.getMessage());
            flash.addFlashAttribute("flash", new Flash("refused", refusal.getMessage()));
        } catch (ScheduleCatalog.InvalidSchedule invalid) {
            String message = invalid.getMessage() + ": " + String.join("; ", invalid.problems());
            LOG.info("Console: refused: {}", message);
            flash.addFlashAttribute("flash", new Flash("refused", message));
        }
    }
}
