package com.airtableintegrity.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.airtableintegrity.boot.ApiClient;
import com.airtableintegrity.boot.BootApiTest;
import com.airtableintegrity.support.EmulatorRuns;

/**
 * The measurement of the console with 10,000 runs in Firestore: the first page of {@code /} reads one page of runs
 * (50 rows and a cursor to the next), so its load time does not grow with the collection. Prints the timings.
 */
class ConsoleScaleTest extends BootApiTest {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleScaleTest.class);
    private static final int RUNS = 10_000;
    private static final String[] STATUSES = {"success", "warning", "error", "timeout", "cancelled"};

    @AfterAll
    static void leaveNoRuns() {
        EMULATOR.wipe();
    }

    @Test
    void theFirstPageWithTenThousandRunsReadsOnePage() throws Exception {
        EMULATOR.wipe();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(RUNS, ChronoUnit.MINUTES);
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (int i = 0; i < RUNS; i++) {
            docs.put(String.format("scale%05d", i), ConsoleDocs.run(STATUSES[i % STATUSES.length],
                    i % 2 == 0 ? ConsoleDocs.BASE_A : ConsoleDocs.BASE_B, t0.plus(i, ChronoUnit.MINUTES)));
        }
        long writeStart = System.nanoTime();
        new EmulatorRuns(EMULATOR).putAll(docs);
        long writeMs = (System.nanoTime() - writeStart) / 1_000_000;

        List<Long> millis = new ArrayList<>();
        ApiClient.Answer page = null;
        for (int i = 0; i < 7; i++) {
            page = api.get("/");
            assertThat(page.status()).isEqualTo(200);
            millis.add(page.millis());
        }
        ApiClient.Answer filtered = api.get("/?status=timeout&base=" + ConsoleDocs.BASE_B);
        ApiClient.Answer deep = api.get(ConsoleDocs.href(page.body(), "older-runs"));

        List<String> rows = ConsoleDocs.rowIds(page.body());
        assertThat(rows).hasSize(50).first().isEqualTo("scale09999");
        assertThat(rows).last().isEqualTo("scale09950");
        assertThat(ConsoleDocs.href(page.body(), "older-runs")).startsWith("/?before=").endsWith("-scale09950");
        assertThat(ConsoleDocs.rowIds(deep.body())).hasSize(50).first().isEqualTo("scale09949");
        assertThat(ConsoleDocs.rowIds(filtered.body())).hasSize(50).allSatisfy(id ->
                assertThat(Integer.parseInt(id.substring(5)) % 10).isEqualTo(3));
        List<Long> sorted = millis.stream().sorted().toList();
        LOG.info("Console with {} runs: wrote them in {} ms (batches of 500); GET / took {} ms (first, cold), "
                        + "median of the next six {} ms, all {}; filtered page {} ms; second page {} ms; page {} bytes",
                RUNS, writeMs, millis.get(0), sorted.get(sorted.size() / 2), millis, filtered.millis(),
                deep.millis(), page.body().length());
        assertThat(sorted.get(sorted.size() / 2)).isLessThan(2_000);
    }
}
