package com.airtableintegrity.run;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

import com.airtableintegrity.config.IntegrityPropertiesValidator;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.ScheduleValidator;
import com.airtableintegrity.store.ScheduleDocuments;
import com.google.cloud.Timestamp;
import com.airtableintegrity.store.ScheduleDocuments.Stored;
import com.airtableintegrity.store.SchedulePages;

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
    private final ScheduleProblems problems;
    private final int maxStored;

    public ScheduleCatalog(ScheduleDocuments documents, ScheduleValidator validator, ScheduleSpec configured,
                           ManualRuns manualRuns, ScheduleProblems problems, int maxStored) {
        this.documents = documents;
        this.validator = validator;
        this.configured = configured;
        this.manualRuns = manualRuns;
        this.problems = problems;
        this.maxStored = maxStored;
    }

    /** A page of schedules, and the cursor of the next page (null on the last). */
    public record Page(List<Entry> schedules, SchedulePages.Cursor next) {
    }

    /**
     * At most {@code limit} stored schedules by name after {@code after} (null: from the first); on the first page,
     * the configured one alone when none is stored.
     */
    public Page page(SchedulePages.Cursor after, int limit) {
        SchedulePages.Page page = documents.page(after, limit);
        List<Entry> entries = page.schedules().stream().map(s -> new Entry(s.id(), s.spec(), s)).toList();
        if (entries.isEmpty() && after == null && documents.isEmpty()) {
            return new Page(List.of(new Entry(DEFAULT_ID, configured, null)), null);
        }
        return new Page(entries, page.next());
    }

    /** The stored documents this runner does not apply, each with why (id → problem, by id). */
    public SortedMap<String, String> notApplied() {
        return problems.all();
    }

    /** Why this runner does not apply the stored schedule, or null when it does (or never read it). */
    public String notApplied(String id) {
        return problems.of(id);
    }

    public Optional<Entry> find(String id) {
        Optional<Stored> stored = documents.read(id);
        if (stored.isPresent()) {
            return Optional.of(new Entry(id, stored.get().spec(), stored.get()));
        }
        return DEFAULT_ID.equals(id) && documents.isEmpty()
                ? Optional.of(new Entry(DEFAULT_ID, configured, null)) : Optional.empty();
    }

    /**
     * @return the new schedule's id
     * @throws TooManySchedules when the collection holds {@code integrity.schedule.max-stored} documents already
     */
    public String create(ScheduleSpec spec) {
        requireValid(spec);
        long stored = documents.count();
        if (stored >= maxStored) {
            throw new TooManySchedules("There are " + stored + " schedules stored, the most allowed ("
                    + IntegrityPropertiesValidator.MAX_STORED_SCHEDULES_KEY + " is " + maxStored
                    + "): delete one first, or raise the limit");
        }
        return documents.create(spec);
    }

    /** A create refused because the collection is full. */
    public static final class TooManySchedules extends RuntimeException {
        public TooManySchedules(String message) {
            super(message, null, false, false);
        }
    }

    /** @return false when there is no such stored schedule (nothing is written) */
    public boolean replace(String id, ScheduleSpec spec) {
        return replace(id, spec, null);
    }

    /**
     * As {@link #replace(String, ScheduleSpec)}, only over the version {@code expected} (its {@code updated_at}; null:
     * any).
     *
     * @throws ScheduleDocuments.ChangedMeanwhile when another save came since, with nothing written
     */
    public boolean replace(String id, ScheduleSpec spec, Timestamp expected) {
        requireValid(spec);
        return documents.replace(id, spec, expected);
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
