package com.airtableintegrity.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The benchmark JVM's handle on a {@link DoubleServer} child process. */
final class RemoteDouble implements AutoCloseable {

    /** One request as the double logged it. */
    record Req(String table, int page, int status, long arrivalNanos, long arrivalEpochMicros, String base,
               int bodyBytes) {
    }

    private final Process process;
    private final BufferedReader in;
    private final Writer out;
    private final String baseUrl;

    private RemoteDouble(Process process) throws IOException {
        this.process = process;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String first = in.readLine();
        if (first == null || !first.startsWith("OK ")) {
            throw new IllegalStateException("double did not start: " + first);
        }
        this.baseUrl = first.substring(3);
    }

    static RemoteDouble start(String base, String token, Path logFile) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), DoubleServer.class.getName(), base, token);
        pb.redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return new RemoteDouble(pb.start());
    }

    String baseUrl() {
        return baseUrl;
    }

    synchronized List<String> command(String cmd) {
        try {
            out.write(cmd + "\n");
            out.flush();
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("OK")) {
                    return lines;
                }
                if (line.startsWith("ERR")) {
                    throw new IllegalStateException("double: " + cmd + ": " + line);
                }
                lines.add(line);
            }
            throw new IllegalStateException("double exited during " + cmd);
        } catch (IOException e) {
            throw new IllegalStateException("double: " + cmd, e);
        }
    }

    List<Req> log() {
        List<Req> reqs = new ArrayList<>();
        for (String l : command("log")) {
            String[] a = l.split(" ");
            reqs.add(new Req(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Long.parseLong(a[4]),
                    Long.parseLong(a[5]), a[6], Integer.parseInt(a[7])));
        }
        return reqs;
    }

    @Override
    public void close() {
        try {
            command("quit");
        } catch (RuntimeException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
