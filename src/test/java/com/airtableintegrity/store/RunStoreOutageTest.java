package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.StartResult;
import com.airtableintegrity.store.RunTransactions.Started;
import com.airtableintegrity.support.FirestoreEmulator;
import com.google.cloud.firestore.Firestore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunStoreOutageTest {

    FirestoreEmulator emulator;
    Firestore db;
    RunTransactions store;

    @AfterEach
    void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
        if (emulator != null) {
            emulator.stop();
        }
    }

    @Test
    void callAgainstStoppedEmulatorFailsWithinCallTimeoutAndRecoversAfterRestart() {
        emulator = FirestoreEmulator.startNew();
        db = emulator.newClient();
        // The first call of a cold client takes 1-3 s (more on a busy machine): warm up through a patient store
        // sharing the client, then test with a 2 s call timeout.
        RunTransactions patient = new RunTransactions(new RunCollection(db, "integrity_runs", Duration.ofSeconds(30),
                Clock.systemUTC()));
        NewRun run = new NewRun("appOutage", List.of("T"), "manual", "runner-a", 60);
        StartResult started = patient.startRun(run, Duration.ofMinutes(2));
        String runId = ((Started) started).runId();
        store = new RunTransactions(new RunCollection(db, "integrity_runs", Duration.ofSeconds(2), Clock.systemUTC()));

        emulator.stop();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> store.heartbeat(runId))
                .isInstanceOf(RunStoreException.class)
                .hasMessageContaining("heartbeat").hasMessageContaining(runId);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(elapsedMs).isLessThan(5_000);

        long r0 = System.nanoTime();
        emulator.restart();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> store.startRun(run, Duration.ofMinutes(2)) instanceof Started);
        System.out.printf("outage: failed after %d ms; restart to first successful call %d ms%n",
                elapsedMs, (System.nanoTime() - r0) / 1_000_000);
    }
}
