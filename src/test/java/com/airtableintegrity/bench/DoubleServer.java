package com.airtableintegrity.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.AirtableDoubleRequest;
import com.airtableintegrity.support.Fault;
import com.airtableintegrity.support.Records;

/**
 * The Airtable double in its own JVM, so that its tables (serialised JSON and page caches) do not count in the
 * benchmark JVM's heap. Driven by one command per line on stdin; each answer ends with a line {@code OK ...}.
 */
public final class DoubleServer {
    private DoubleServer() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        AirtableDouble d = AirtableDouble.start(token);
        out.println("OK " + d.baseUrl());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] a = line.trim().split(" ");
            try {
                switch (a[0]) {
                    case "tables" -> { // tables <n> <count> <defects> [base, default: the one given at start]
                        int n = Integer.parseInt(a[1]);
                        int count = Integer.parseInt(a[2]);
                        boolean defects = Boolean.parseBoolean(a[3]);
                        String into = a.length > 4 ? a[4] : base;
                        for (int t = 0; t < n; t++) {
                            d.addTable(into, BenchData.tableName(t), BenchData.records(t, n, count, defects));
                        }
                        System.gc();
                        out.println("OK");
                    }
                    case "planted" -> { // planted <tables> <count> <defective> <fixed> <broken>: per table,
                        // BenchData.plantedRecords (replaces tables T1..Tn of the base given at start)
                        int n = Integer.parseInt(a[1]);
                        for (int t = 0; t < n; t++) {
                            d.addTable(base, BenchData.tableName(t), BenchData.plantedRecords(t,
                                    Integer.parseInt(a[2]), Integer.parseInt(a[3]), Integer.parseInt(a[4]),
                                    Integer.parseInt(a[5])));
                        }
                        System.gc();
                        out.println("OK");
                    }
                    case "simple" -> { // simple <name> <prefix> <count>
                        char p = a[2].charAt(0);
                        List<Map<String, Object>> recs = Records.of(p, Integer.parseInt(a[3]),
                                i -> AirtableDouble.fields("Name", "n" + i));
                        d.addTable(base, a[1], recs);
                        out.println("OK");
                    }
                    case "wide" -> { // wide <name> <count>: BenchData.wideRecords (4 KB notes, attachments)
                        d.addTable(base, a[1], BenchData.wideRecords(Integer.parseInt(a[2])));
                        out.println("OK");
                    }
                    case "allfields" -> { // allfields true|false: answer all fields whatever fields[] asks
                        d.ignoreFieldsParameter(Boolean.parseBoolean(a[1]));
                        out.println("OK");
                    }
                    case "ratelimit" -> {
                        d.rateLimit(Integer.parseInt(a[1]), Duration.ofMillis(Long.parseLong(a[2])));
                        out.println("OK");
                    }
                    case "ratelimitoff" -> {
                        d.rateLimitOff();
                        out.println("OK");
                    }
                    case "fault" -> { // fault never|drip|slow <table> [ms]
                        Fault f = switch (a[1]) {
                            case "never" -> Fault.neverAnswer();
                            case "drip" -> Fault.drip(Duration.ofMillis(Long.parseLong(a[3])));
                            case "slow" -> Fault.slow(Duration.ofMillis(Long.parseLong(a[3])));
                            default -> throw new IllegalArgumentException("fault " + a[1]);
                        };
                        d.fault(f.onTable(a[2]).always());
                        out.println("OK");
                    }
                    case "clearfaults" -> {
                        d.clearFaults();
                        out.println("OK");
                    }
                    case "clearlog" -> {
                        d.clearRequests();
                        out.println("OK");
                    }
                    case "log" -> { // one line per request: table page status arrivalNanos arrivalEpochMicros base
                        // bodyBytes
                        for (AirtableDoubleRequest r : d.requests()) {
                            long micros = r.arrival().getEpochSecond() * 1_000_000L + r.arrival().getNano() / 1000;
                            out.println("R " + r.table() + " " + r.page() + " " + r.status() + " "
                                    + r.arrivalNanos() + " " + micros + " " + r.baseId() + " " + r.bodyBytes());
                        }
                        out.println("OK");
                    }
                    case "nanotime" -> out.println("OK " + System.nanoTime());
                    case "quit" -> {
                        d.close();
                        out.println("OK");
                        out.flush();
                        return;
                    }
                    default -> out.println("ERR unknown command " + a[0]);
                }
            } catch (RuntimeException e) {
                out.println("ERR " + e);
            }
            out.flush();
        }
        d.close();
    }
}
