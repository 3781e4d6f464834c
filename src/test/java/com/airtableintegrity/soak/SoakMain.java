package com.airtableintegrity.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code bash bench/soak.sh}: the soak as a command. Arguments: minutes of chaos (default 20), seed (default: drawn
 * and printed). Writes the table to {@code target/soak.md}; exits 1 if a row broke its limit.
 */
public final class SoakMain {
    private SoakMain() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        long seed = args.length > 1 && !args[1].isBlank() ? Long.parseLong(args[1]) : System.nanoTime() % 1_000_000;
        Path out = Path.of(args.length > 2 ? args[2] : "target/soak.md");
        Soak.Result result = Soak.run(Duration.ofMillis(Math.round(minutes * 60_000)), seed, out);
        System.out.println(result.failed().isEmpty() ? "[soak] every limit kept" : "[soak] FAILED: " + result.failed());
        System.exit(result.failed().isEmpty() ? 0 : 1);
    }
}
