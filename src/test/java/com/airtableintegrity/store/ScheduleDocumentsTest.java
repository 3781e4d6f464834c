package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.ScheduleSpec;
import com.airtableintegrity.config.TableSpec;

/** Schedules as Firestore documents: what is written reads back the same; ids never address another document. */
class ScheduleDocumentsTest extends StoreTestBase {
    private ScheduleDocuments schedules;

    @BeforeEach
    void documents() {
        schedules = new ScheduleDocuments(runCollection, ScheduleDocuments.DEFAULT_COLLECTION);
    }

    private static ScheduleSpec crm(String name) {
        ScheduleSpec s = new ScheduleSpec();
        s.setName(name);
        s.setBaseId("appCRM00000000001");
        s.setCron("0 0 * * * ?");
        s.setTimeZone("Europe/Berlin");
        s.setMaxDurationSeconds(900);
        s.setTables(new ArrayList<>(List.of(
                new TableSpec("Customers", List.of(RuleSpec.required("Name"), RuleSpec.pattern("Email", ".+@.+"),
                        RuleSpec.allowedValues("Status", List.of("Active", "Paused")))),
                new TableSpec("Orders", List.of(RuleSpec.linksTo("Customer", "Customers"))))));
        return s;
    }

    @Test
    void aCreatedScheduleReadsBackFieldForField() {
        String id = schedules.create(crm("CRM hourly"));

        ScheduleDocuments.Stored stored = schedules.read(id).orElseThrow();
        assertThat(stored.spec()).usingRecursiveComparison().isEqualTo(crm("CRM hourly"));
        assertThat(stored.createdAt()).isEqualTo(RunCollection.toTimestamp(T0)).isEqualTo(stored.updatedAt());
    }

    @Test
    void aReplaceKeepsCreatedAtAndMovesUpdatedAt() {
        String id = schedules.create(crm("CRM hourly"));
        clock.advance(Duration.ofMinutes(5));
        ScheduleSpec changed = crm("CRM nightly");
        changed.setCron("0 0 3 * * ?");
        changed.setEnabled(false);

        assertThat(schedules.replace(id, changed)).isTrue();

        ScheduleDocuments.Stored stored = schedules.read(id).orElseThrow();
        assertThat(stored.spec()).usingRecursiveComparison().isEqualTo(changed);
        assertThat(stored.createdAt()).isEqualTo(RunCollection.toTimestamp(T0));
        assertThat(stored.updatedAt()).isEqualTo(RunCollection.toTimestamp(T0.plus(Duration.ofMinutes(5))));
    }

    @Test
    void aScheduleDeletedMeanwhileIsNeitherReplacedNorBroughtBack() {
        String id = schedules.create(crm("CRM hourly"));
        assertThat(schedules.delete(id)).isTrue();

        assertThat(schedules.replace(id, crm("CRM again"))).isFalse();
        assertThat(schedules.read(id)).isEmpty();
        assertThat(schedules.delete(id)).isFalse();
    }

    @Test
    void aPageIsOrderedByNameThenId() {
        schedules.create(crm("b"));
        schedules.create(crm("a"));
        String[] twins = {schedules.create(crm("c")), schedules.create(crm("c"))};
        java.util.Arrays.sort(twins);

        SchedulePages.Page page = schedules.page(null, 10);

        assertThat(page.schedules()).extracting(s -> s.spec().getName()).containsExactly("a", "b", "c", "c");
        assertThat(page.schedules().subList(2, 4)).extracting(ScheduleDocuments.Stored::id).containsExactly(twins);
        assertThat(page.next()).isNull();
    }

    @Test
    void pagesFollowingEachOthersCursorHoldEveryScheduleOnceEvenWithNamesThatNeedEscaping() {
        List<String> names = List.of("a b", "ä/ö", "c?d=e&f", "a b", "zz", "ß", "..", "x.y.z");
        names.forEach(name -> schedules.create(crm(name)));

        List<String> seen = new ArrayList<>();
        SchedulePages.Cursor after = null;
        int pages = 0;
        do {
            SchedulePages.Page page = schedules.page(after == null ? null
                    : SchedulePages.Cursor.parse(after.encode()), 3);
            page.schedules().forEach(s -> seen.add(s.spec().getName()));
            after = page.next();
            pages++;
        } while (after != null);

        assertThat(seen).containsExactlyElementsOf(names.stream().sorted().toList());
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aCursorThatIsNotOneIsRefusedByParse() {
        for (String bad : List.of("", "abc", "!!!.id", "YQ.a/b", "YQ.")) {
            assertThatThrownBy(() -> SchedulePages.Cursor.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void countIsTheNumberOfScheduleDocuments() {
        assertThat(schedules.count()).isZero();
        schedules.create(crm("a"));
        schedules.create(crm("b"));

        assertThat(schedules.count()).isEqualTo(2);
    }

    @Test
    void anIdThatIsNotADocumentIdNeverReachesFirestore() {
        for (String bad : List.of("a/b", "..", "../integrity_runs/x", "__x__", "", "a".repeat(129))) {
            assertThatThrownBy(() -> schedules.read(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not valid: a schedule id is 1 to 128 letters, digits, '-' or '_'");
        }
    }
}
