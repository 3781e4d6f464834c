package com.airtableintegrity.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Google's Firestore emulator, started by the demo profile on a free port of 127.0.0.1 and stopped with the runner.
 * <p>
 * The launcher is a shell script with a Java child, so stopping it means stopping the whole process tree
 * ({@link ProcessHandle#descendants()}). Three things see to it that no emulator outlives the runner:
 * <ol>
 *   <li>{@link #close()}, when Spring closes the context (after the Firestore client, which depends on it);</li>
 *   <li>a JVM shutdown hook, registered as soon as the process exists, which stops the tree if the context did not
 *   within the shutdown grace (Ctrl-C, SIGTERM, a failed start);</li>
 *   <li>where {@code /bin/sh} exists, the emulator runs under a small watchdog shell that stops it when its standard
 *   input, a pipe from this JVM, closes: that covers a runner ended by {@code kill -9}. The watchdog also ignores
 *   SIGINT, so Ctrl-C in a terminal reaches the runner, which then writes its runs' last status before the
 *   emulator goes.</li>
 * </ol>
 */
public final class DemoEmulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoEmulator.class);
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final String WATCHDOG = "trap '' INT\n"
            + "\"$@\" </dev/null &\n"
            + "child=$!\n"
            + "while read -r line; do :; done\n" // returns when the runner's JVM has gone, however it ended
            + "pkill -TERM -P \"$child\" 2>/dev/null\n"
            + "kill -TERM \"$child\" 2>/dev/null\n";

    private final int port;
    private final Path logFile;
    private final Process process;
    private final OutputStream watchdogPipe;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<ProcessHandle> tree = new ArrayList<>();

    private DemoEmulator(int port, Path logFile, Process process) {
        this.port = port;
        this.logFile = logFile;
        this.process = process;
        this.watchdogPipe = process.getOutputStream(); // kept open: its end tells the watchdog the runner is gone
    }

    /**
     * A new log file in the temp directory, created by this call with a random name, readable by its owner only: a
     * predictable name there could be a planted symlink, followed when the file is opened for writing.
     */
    static Path newLogFile(int port) {
        try {
            Path log = Files.createTempFile("airtable-integrity-demo-firestore-" + port + "-", ".log");
            if (log.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-------"));
            }
            return log;
        } catch (IOException e) {
            throw new DemoSetupException("Could not create the Firestore emulator's log file in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the emulator at {@code launcher} and waits (bounded) until it answers. The shutdown hook is in place
     * before anything else can fail; {@code grace} is how long it lets the context stop the emulator first.
     */
    public static DemoEmulator start(Path launcher, Duration grace) {
        int port = freePort();
        Path log = newLogFile(port);
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/bin/sh"))) {
            command.addAll(List.of("/bin/sh", "-c", WATCHDOG, "firestore-emulator-watchdog"));
        }
        command.addAll(List.of(launcher.toString(), "start", "--host=127.0.0.1", "--port=" + port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().remove("FIRESTORE_EMULATOR_HOST");
        DemoEmulator emulator;
        try {
            emulator = new DemoEmulator(port, log, builder.start());
        } catch (IOException e) {
            throw new DemoSetupException("Could not start the Firestore emulator " + launcher + ": " + e.getMessage()
                    + " (reinstall it with `" + EmulatorLocator.INSTALL + "`)", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> emulator.stopAfter(grace),
                "demo-firestore-emulator-stop"));
        emulator.awaitAnswer(launcher);
        return emulator;
    }

    /** Where the Firestore client connects: {@code 127.0.0.1:<port>}. */
    public String hostPort() {
        return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port;
    }

    /** The emulator's port (gRPC and REST). */
    public int port() {
        return port;
    }

    /** The processes started for the emulator (the launcher, its Java child, the watchdog), as last seen alive. */
    public synchronized List<ProcessHandle> processes() {
        remember();
        return List.copyOf(tree);
    }

    /** Stops the emulator's whole process tree and waits (bounded) until its port is closed. Idempotent. */
    @Override
    public synchronized void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        remember();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_DEADLINE.toNanos();
        for (ProcessHandle handle : tree) {
            awaitExit(handle, deadline);
        }
        try {
            watchdogPipe.close();
        } catch (IOException ignored) {
            // the watchdog is gone already
        }
        while (System.nanoTime() - deadline < 0 && portOpen()) {
            pause(100);
        }
        stopped.countDown();
        LOG.info("Firestore emulator on {} stopped", hostPort());
    }

    /** The shutdown hook: leaves the emulator to the context for {@code grace}, then stops it itself. */
    private void stopAfter(Duration grace) {
        try {
            if (stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    private void awaitAnswer(Path launcher) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/")).timeout(PROBE_TIMEOUT)
                .GET().build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String failure = null;
        while (failure == null && !answers(http, probe)) {
            remember();
            if (!process.isAlive() || tree.stream().noneMatch(ProcessHandle::isAlive)
                    || (tree.size() > 1 && process.children().findAny().isEmpty())) {
                failure = "exited before answering on " + hostPort();
            } else if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                failure = "did not answer on " + hostPort() + " within " + START_DEADLINE.toSeconds() + " s";
            } else {
                pause(200);
            }
        }
        if (failure != null) {
            close();
            throw new DemoSetupException("The Firestore emulator " + launcher + " " + failure + " (its output: "
                    + logFile + ")");
        }
        remember();
        LOG.info("Firestore emulator answers on {} (log {})", hostPort(), logFile);
    }

    /** One bounded probe of the emulator's HTTP port: true once it answers 200. */
    private static boolean answers(HttpClient http, HttpRequest probe) {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the loop sees it and gives up
            return false;
        }
    }

    /** Adds the live processes of the tree to {@link #tree} (the launcher's child appears after a moment). */
    private synchronized void remember() {
        if (tree.isEmpty()) {
            tree.add(process.toHandle());
        }
        process.descendants().filter(d -> !tree.contains(d)).forEach(tree::add);
    }

    private static void awaitExit(ProcessHandle handle, long deadlineNanos) {
        try {
            handle.onExit().get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception notYet) {
            handle.destroyForcibly();
        }
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new DemoSetupException("No free port on 127.0.0.1 for the Firestore emulator", e);
        }
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis)); // an interrupt ends it early, and stays set
    }
}
