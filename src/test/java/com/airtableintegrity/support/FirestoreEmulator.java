package com.airtableintegrity.support;

import com.airtableintegrity.store.FirestoreClients;
import com.google.cloud.firestore.Firestore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The official Firestore emulator for tests: {@link #shared()} is one instance per test JVM (started lazily, stopped
 * by a shutdown hook); {@link #startNew()} is a private instance that can be stopped and restarted on the same port.
 * Output goes to {@code target/firestore-emulator-<port>.log}.
 */
public final class FirestoreEmulator {
    private static final Duration WIPE_DEADLINE = Duration.ofSeconds(10);

    public static final String LAUNCHER =
            "/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator";
    public static final String PROJECT_ID = "integrity-test";
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private static FirestoreEmulator shared;

    private final int port;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    private FirestoreEmulator(int port) {
        this.port = port;
        this.logFile = Path.of(System.getProperty("user.dir"), "target", "firestore-emulator-" + port + ".log");
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "firestore-emulator-stop-" + port));
    }

    /** The JVM-wide emulator, started on first use. */
    public static synchronized FirestoreEmulator shared() {
        if (shared == null) {
            FirestoreEmulator emulator = new FirestoreEmulator(freePort());
            emulator.start();
            shared = emulator;
        }
        return shared;
    }

    /** A private emulator (call {@link #stop()} when done; a shutdown hook stops it anyway). */
    public static FirestoreEmulator startNew() {
        FirestoreEmulator emulator = new FirestoreEmulator(freePort());
        emulator.start();
        return emulator;
    }

    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String projectId() {
        return PROJECT_ID;
    }

    public Path logFile() {
        return logFile;
    }

    /** A client connected to this emulator (through {@link FirestoreClients#connect}). */
    public Firestore newClient() {
        return FirestoreClients.connect(PROJECT_ID, hostPort());
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Deletes every document of the test project. The emulator now and then answers a reset with HTTP 500 UNKNOWN
     * (its log: "Stream is already completed", a listener of the test before closing meanwhile); the reset is then
     * tried again until {@link #WIPE_DEADLINE}.
     */
    public void wipe() {
        URI uri = URI.create("http://" + hostPort() + "/emulator/v1/projects/" + PROJECT_ID
                + "/databases/(default)/documents");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).DELETE().build();
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            Awaitility.await().atMost(WIPE_DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        last.set("HTTP " + response.statusCode() + " " + response.body());
                        return response.statusCode() / 100 == 2;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Wiping the Firestore emulator at " + hostPort() + " failed for "
                    + WIPE_DEADLINE.toSeconds() + " s; last answer: " + last.get(), e);
        }
    }

    /** Starts the emulator on its port and waits (bounded) until it answers HTTP. */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of(LAUNCHER, "start", "--host=127.0.0.1", "--port=" + port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().remove("FIRESTORE_EMULATOR_HOST");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Firestore emulator (" + LAUNCHER + ")", e);
        }
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The Firestore emulator exited with " + process.exitValue()
                        + " before answering on " + hostPort() + ":\n" + logTail());
            }
            if (answers()) {
                return;
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("Interrupted while starting the Firestore emulator", e);
            }
        }
        stop();
        throw new IllegalStateException("The Firestore emulator did not answer on " + hostPort() + " within "
                + START_DEADLINE.toSeconds() + " s:\n" + logTail());
    }

    /** Stops the emulator: the launcher script and its Java child, waiting a bounded time. */
    public synchronized void stop() {
        Process current = process;
        process = null;
        if (current == null) {
            return;
        }
        List<ProcessHandle> descendants = current.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        current.destroy();
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        for (ProcessHandle handle : descendants) {
            awaitExit(handle, deadline);
        }
        awaitExit(current.toHandle(), deadline);
        // The port must be free again before a restart on the same port.
        while (System.nanoTime() < deadline && portInUse()) {
            sleepQuietly(100);
        }
    }

    /** Stop, then start again on the same port (with empty data). */
    public synchronized void restart() {
        stop();
        start();
    }

    private static void awaitExit(ProcessHandle handle, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        try {
            if (remaining > 0) {
                handle.onExit().get(remaining, TimeUnit.NANOSECONDS);
            }
        } catch (Exception ignored) {
            // fall through to the forced kill below
        }
        if (handle.isAlive()) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
    }

    private boolean answers() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean portInUse() {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no emulator output: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the Firestore emulator", e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
