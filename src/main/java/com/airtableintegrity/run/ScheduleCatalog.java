package com.airtableintegrity.run;

import java.util.List;
import java.util.Optional;

import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.ScheduleValidator;
import com.airtableintegrity.store.ScheduleDocuments;
import com.airtableintegrity.store.ScheduleDocuments.Stored;

/**
 * The schedules as operators see them, for the REST API and JMX alike: the stored schedule documents, or, while the
 * collection holds none, the configured schedule as schedule {@value #DEFAULT_ID} (kept in memory, never written:
 * see docs/schedules-and-api.md, "Schedules"). Every write is validated first ({@link ScheduleValidator}) and
 * stores nothing when it fails; a write reaches every runner through its {@link ScheduleSync}.
 */
public final class ScheduleCatalog {
    /** The id under which the configured schedule ({@code application.yaml}) acts while no schedule is stored. */
    public static final String DEFAULT_ID = "default";

    /** A write refused because the schedule is not valid; {@link #problems()} each name a JSON path. */
    public static final class InvalidSchedule extends RuntimeException {
        private final List<String> problems;

        public InvalidSchedule(List<String> problems) {
            super("The schedule is not valid: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + ", each named by its JSON path", null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    /** A schedule and where it comes from: the collection, or the configuration (the default schedule). */
    public record Entry(String id, ScheduleSpec spec, Stored stored) {
        public boolean configured() {
            return stored == null;
        }
    }

    private final ScheduleDocuments documents;
    private final ScheduleValidator validator;
    private final ScheduleSpec configured;
    private final ManualRuns manualRuns;

    public ScheduleCatalog(ScheduleDocuments documents, ScheduleValidator validator, ScheduleSpec configured,
                           ManualRuns manualRuns) {
        this.documents = documents;
        this.validator = validator;
        this.configured = configured;
        this.manualRuns = manualRuns;
    }

    /** The stored schedules by name, or the configured one alone when none is stored. */
    public List<Entry> list() {
        List<Stored> stored = documents.list();
        if (stored.isEmpty()) {
            return List.of(new Entry(DEFAULT_ID, configured, null));
        }
        return stored.stream().map(s -> new Entry(s.id(), s.spec(), s)).toList();
    }

    public Optional<Entry> find(String id) {
        Optional<Stored> stored = documents.read(id);
        if (stored.isPresent()) {
            return Optional.of(new Entry(id, stored.get().spec(), stored.get()));
        }
        return DEFAULT_ID.equals(id) && documents.isEmpty()
                ? Optional.of(new Entry(DEFAULT_ID, configured, null)) : Optional.empty();
    }

    /** @return the new schedule's id */
    public String create(ScheduleSpec spec) {
        requireValid(spec);
        return documents.create(spec);
    }

    /** @return false when there is no such stored schedule (nothing is written) */
    public boolean replace(String id, ScheduleSpec spec) {
        requireValid(spec);
        return documents.replace(id, spec);
    }

    /** @return false when there is no such stored schedule */
    public boolean setEnabled(String id, boolean enabled) {
        Optional<Stored> stored = documents.read(id);
        if (stored.isEmpty()) {
            return false;
        }
        ScheduleSpec spec = stored.get().spec();
        spec.setEnabled(enabled);
        return replace(id, spec);
    }

    /** @return false when there was no such stored schedule */
    public boolean delete(String id) {
        return documents.delete(id);
    }

    /** A manual run of the schedule's base and tables, under its overrides. */
    public ManualRuns.Result runNow(Entry schedule) {
        if (!schedule.configured()) { // the configured one was checked at startup
            requireValid(schedule.spec());
        }
        return manualRuns.request(ScanPlan.of(schedule.id(), schedule.spec()));
    }

    private void requireValid(ScheduleSpec spec) {
        List<String> problems = validator.problems(spec);
        if (!problems.isEmpty()) {
            throw new InvalidSchedule(problems);
        }
    }
}
