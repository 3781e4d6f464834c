package com.airtableintegrity.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * The runner's bounded pools, by thread name, with their configured maxima at the soak's settings (the defaults):
     * each grows a thread per task until it is full (a fixed pool whose idle threads end after 60 s) and then levels
     * off, so their sum may rise for many minutes without a leak. The trend is judged on the other threads.
     */
    static final Map<String, Integer> POOLS = Map.of(
            " - Split", 200, // integrity.run.table-threads
            "DefaultQuartzScheduler", 50, // integrity.schedule.threads
            " - Throttle", 20, // two Throttle EIPs, Camel's default scheduled pool of 10 each
            "-exec-", 200, // Tomcat's request threads (server.tomcat.threads.max)
            "grpc-transport-", 8, // google-cloud-core-grpc's shared scheduler (GrpcTransportOptions: 8, idle 5 s)
            "Gax-", Math.max(4, Runtime.getRuntime().availableProcessors()), // gax InstantiatingExecutorProvider
            "integrity-heartbeat-", 2, // RunnerExecutors.HEARTBEAT_THREADS
            "airtable-request-deadline", 1); // AirtableRequestGuard's timer

    /**
     * One sample; {@code seconds} since the soak's start; {@code pooled}: threads of {@link #POOLS}; {@code others}:
     * the other threads by name, their digits replaced by {@code N} (to see which kind grows).
     */
    record Sample(double seconds, double heapMb, int threads, int fds, int pooled, Map<String, Integer> others) {
        int unpooled() {
            return threads - pooled;
        }
    }

    /** The sum of {@link #POOLS}' maxima. */
    static int pooledBound() {
        return POOLS.values().stream().mapToInt(Integer::intValue).sum();
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
            int pooled = 0;
            Map<String, Integer> others = new TreeMap<>();
            for (String line : jcmd(pid, "Thread.print").split("\n")) {
                int close = line.indexOf('"', 1);
                if (line.startsWith("\"") && close > 0) {
                    String name = line.substring(1, close);
                    if (POOLS.keySet().stream().anyMatch(name::contains)) {
                        pooled++;
                    } else {
                        others.merge(name.replaceAll("\\d+", "N"), 1, Integer::sum);
                    }
                }
            }
            return new Sample(seconds, heapMb, threads, fds, pooled, others);
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
