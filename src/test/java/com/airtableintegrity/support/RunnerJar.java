package com.airtableintegrity.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar ({@code java -jar target/airtable-integrity-runner*.jar}) as its own process, the way users run
 * it: settings through environment variables only, a working directory of its own (so only the packaged
 * application.yaml applies), output to a log file. {@link #close()} kills it if it is still alive.
 */
public final class RunnerJar implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private RunnerJar(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The settings a runner needs against this double and emulator; add or override with {@link Builder#env}. */
    public static Builder against(AirtableDouble airtable, FirestoreEmulator emulator) {
        return new Builder()
                .env("AIRTABLE_TOKEN", TestSettings.TOKEN)
                .env("AIRTABLE_BASE_ID", TestSettings.BASE)
                .env("AIRTABLE_API_URL", airtable.baseUrl())
                .env("GOOGLE_CLOUD_PROJECT", emulator.projectId())
                .env("FIRESTORE_EMULATOR_HOST", emulator.hostPort())
                .env("INTEGRITY_SCHEDULE_CRON", TestSettings.NEVER)
                .env("INTEGRITY_SWEEP_CRON", TestSettings.NEVER)
                .env("HEARTBEAT_INTERVAL_SECONDS", "1")
                .env("HEARTBEAT_STALE_AFTER_SECONDS", "30");
    }

    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx256m"));

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Leaves {@code name} out of the process's environment (one {@link #against} sets). */
        public Builder withoutEnv(String name) {
            env.remove(name);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** Starts the jar; returns once its process is up (not yet ready: see {@link #awaitReady}). */
        public RunnerJar start(String name) {
            try {
                Path dir = Files.createTempDirectory("runner-jar-" + name);
                Path log = Path.of(System.getProperty("runner.logs", "target/runner-logs"), name + ".log");
                Files.createDirectories(log.getParent());
                int port = freePort();
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmArgs);
                command.add("-jar");
                command.add(jar().toAbsolutePath().toString());
                ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("INTEGRITY_") || k.startsWith("AIRTABLE_")
                        || k.startsWith("FIRESTORE_") || k.equals("JAVA_TOOL_OPTIONS"));
                pb.environment().putAll(env);
                pb.environment().put("SERVER_PORT", String.valueOf(port));
                pb.environment().putIfAbsent("INTEGRITY_RUNNER_ID", name);
                return new RunnerJar(pb.start(), port, log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The packaged jar: system property {@code runner.jar} (set by the build), else the one jar in target/. */
    public static Path jar() throws IOException {
        String configured = System.getProperty("runner.jar");
        if (configured != null) {
            return Path.of(configured);
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("target"), "airtable-integrity-runner*.jar")) {
            dir.forEach(jars::add);
        }
        if (jars.size() != 1) {
            throw new IllegalStateException("expected one packaged jar in target/, found " + jars + " (run mvn package)");
        }
        return jars.get(0);
    }

    /** Waits until {@code /actuator/health/readiness} answers 200. */
    public RunnerJar awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("the runner exited: " + tail(), () -> !process.isAlive())
                .until(() -> get("/actuator/health/readiness").statusCode() == 200);
        return this;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** {@code method} (POST, PUT, PATCH) with a JSON body. */
    public HttpResponse<String> sendJson(String method, String path, String json)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The process id (for signals such as SIGSTOP, SIGCONT and SIGKILL, and for jcmd). */
    public long pid() {
        return process.pid();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Sends SIGTERM (what Ctrl-C's sibling, Kubernetes and Cloud Run send). */
    public void sigterm() {
        process.destroy();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, waiting at most {@code atMost}; null if the process is still alive then. */
    public Integer awaitExit(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private String tail() {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
