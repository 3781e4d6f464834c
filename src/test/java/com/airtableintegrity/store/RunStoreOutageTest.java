package com.airtableintegrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.airtableintegrity.faults.TcpProxy;
import com.airtableintegrity.store.RunTransactions.NewRun;
import com.airtableintegrity.store.RunTransactions.StartResult;
import com.airtableintegrity.store.RunTransactions.Started;
import com.airtableintegrity.support.FirestoreEmulator;
import com.google.cloud.firestore.Firestore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void afterALongOutageTheFirstCallOnceFirestoreIsBackSucceedsWithinSeconds() throws Exception {
        // gRPC waits longer and longer between reconnect attempts while Firestore stays away (1 s, x1.6 each time,
        // up to 2 minutes): after 45 s the next attempt can be half a minute off. The runner's client tries again
        // as soon as a call finds Firestore unavailable, so the first calls after the outage get through.
        FirestoreEmulator shared = FirestoreEmulator.shared();
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", shared.port());
             Firestore client = FirestoreClients.connect(shared.projectId(), proxy.hostPort())) {
            RunTransactions patient = new RunTransactions(new RunCollection(client, "integrity_runs",
                    Duration.ofSeconds(30), Clock.systemUTC()));
            NewRun run = new NewRun("appReconnect", List.of("T"), "manual", "runner-a", 600);
            String runId = ((Started) patient.startRun(run, Duration.ofMinutes(5))).runId();
            store = new RunTransactions(new RunCollection(client, "integrity_runs", Duration.ofSeconds(2),
                    Clock.systemUTC()));

            proxy.cut();
            long cutAt = System.nanoTime();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            // a call every half second, as heartbeats, sweeps and schedules keep calling during an outage
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                calls.incrementAndGet();
                try {
                    store.heartbeat(runId);
                } catch (RunStoreException e) {
                    failed.incrementAndGet();
                }
                return System.nanoTime() - cutAt > TimeUnit.SECONDS.toNanos(45);
            });
            proxy.restore();
            long back = System.nanoTime();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> "running".equals(store.heartbeat(runId).status()));
            long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);

            System.out.printf("reconnect: %d of %d calls failed during the outage; back to first success %d ms%n",
                    failed.get(), calls.get(), recoveredMs);
            assertThat(failed.get()).as("calls that failed during the outage").isEqualTo(calls.get());
            assertThat(recoveredMs).as("ms from Firestore back to the first successful call").isLessThan(5_000);
        }
    }
}
