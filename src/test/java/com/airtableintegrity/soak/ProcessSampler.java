package com.airtableintegrity.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Heap after a full GC, live threads and open file descriptors of a runner process: {@code jcmd <pid> GC.run} then
 * {@code GC.heap_info} (the heap's {@code used} after the collection), the {@code Threads:} line of
 * {@code /proc/<pid>/status} (every thread of the JVM, its own included), and the entries of {@code /proc/<pid>/fd}.
 */
final class ProcessSampler {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    /** One sample; {@code seconds} since the soak's start. */
    record Sample(double seconds, double heapMb, int threads, int fds) {
    }

    private ProcessSampler() {
    }

    /** A sample of {@code pid}, or null if the process is gone or jcmd failed. */
    static Sample sample(long pid, double seconds) {
        try {
            jcmd(pid, "GC.run");
            Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
            if (!m.find()) {
                return null;
            }
            double heapMb = Long.parseLong(m.group(1)) / 1024.0;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.substring(8).trim());
                }
            }
            int fds;
            try (Stream<Path> entries = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
                fds = (int) entries.count();
            }
            return new Sample(seconds, heapMb, threads, fds);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Least-squares slope per minute of {@code value} over the samples. */
    static double slopePerMinute(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mx = samples.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double my = samples.stream().mapToDouble(value).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.seconds() - mx) * (value.applyAsDouble(s) - my);
            den += (s.seconds() - mx) * (s.seconds() - mx);
        }
        return den == 0 ? 0 : num / den * 60;
    }
}
