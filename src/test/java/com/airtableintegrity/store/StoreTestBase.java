package com.airtableintegrity.store;

import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.MutableClock;
import com.google.cloud.firestore.Firestore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The store classes over the shared emulator, with a clock that moves only when told to: each test starts from an
 * empty emulator at {@link #T0}.
 */
abstract class StoreTestBase {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final String COLLECTION = "integrity_runs";
    static final Duration STALE = Duration.ofMinutes(2);

    static FirestoreEmulator emulator;
    static Firestore db;
    static RunTransactions store;
    static RunReads reads;
    static HungRunQueries hungRuns;
    static IssueWriter issueWriter;
    static RunCollection runCollection;
    static final MutableClock clock = new MutableClock(T0);

    @BeforeAll
    static void connect() {
        emulator = FirestoreEmulator.shared();
        db = emulator.newClient();
        RunCollection runs = new RunCollection(db, COLLECTION, Duration.ofSeconds(10), clock);
        runCollection = runs;
        store = new RunTransactions(runs);
        reads = new RunReads(runs);
        hungRuns = new HungRunQueries(runs);
        issueWriter = new IssueWriter(runs);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @BeforeEach
    void wipe() {
        emulator.wipe();
        clock.set(T0);
    }
}
