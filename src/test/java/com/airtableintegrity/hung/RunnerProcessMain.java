package com.airtableintegrity.hung;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.RuleSpec;
import com.airtableintegrity.config.TableSpec;
import com.airtableintegrity.support.CamelRunner;
import com.airtableintegrity.support.TestSettings;

/**
 * A runner in its own JVM for the hung-run tests: starts the real routes with {@link CamelRunner} and runs one
 * manual scan of table {@code hung.table}, then exits. Settings come as system properties ({@code hung.*}). It halts
 * when its stdin closes (the test JVM died) or after {@code hung.maxLifeSeconds}, so it never outlives the test.
 */
public final class RunnerProcessMain {
    public static final String STARTED = "RUNNER_STARTED";

    private RunnerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        watchdog(Integer.getInteger("hung.maxLifeSeconds", 120));
        IntegrityProperties p = IntegrityProperties.defaults();
        p.getAirtable().setToken(TestSettings.TOKEN);
        p.getAirtable().setBaseId(TestSettings.BASE);
        p.getAirtable().setApiUrl(required("hung.airtableUrl"));
        p.getAirtable().setRequestTimeoutSeconds(Integer.getInteger("hung.requestTimeoutSeconds", 60));
        p.getAirtable().setConnectTimeoutSeconds(2);
        p.getAirtable().setRequestsPerSecond(1000);
        p.getAirtable().setTokenRequestsPerSecond(10_000);
        p.getAirtable().setBackoffInitialMillis(50);
        p.getAirtable().setBackoffMaxMillis(200);
        p.getAirtable().setRateLimitWaitSeconds(1);
        p.getRun().setMaxDurationSeconds(Integer.getInteger("hung.maxDurationSeconds", 120));
        p.getRun().setHeartbeatIntervalSeconds(Integer.getInteger("hung.heartbeatIntervalSeconds", 1));
        p.getRun().setRunnerId(required("hung.runnerId"));
        p.getSchedule().setCron(TestSettings.NEVER);
        p.getSweep().setCron(TestSettings.NEVER);
        p.getSweep().setHeartbeatStaleAfterSeconds(Integer.getInteger("hung.heartbeatStaleAfterSeconds", 3));
        p.getFirestore().setProjectId(required("hung.projectId"));
        p.getFirestore().setEmulatorHost(required("hung.emulatorHost"));
        p.getFirestore().setCallTimeoutSeconds(Integer.getInteger("hung.callTimeoutSeconds", 5));
        p.setTables(List.of(new TableSpec(required("hung.table"), List.of(RuleSpec.required("Name")))));

        try (CamelRunner runner = CamelRunner.start(p)) {
            System.out.println(STARTED);
            System.out.flush();
            String runId = runner.runNow();
            System.out.println("RUN_ENDED " + runId);
        }
        System.exit(0);
    }

    private static String required(String key) {
        String value = System.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + key + " is required");
        }
        return value;
    }

    private static void watchdog(int maxLifeSeconds) {
        Thread stdin = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the test never writes; EOF means it is gone
                }
            } catch (IOException ignored) {
                // same as EOF
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watch");
        stdin.setDaemon(true);
        stdin.start();
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(maxLifeSeconds * 1000L);
            } catch (InterruptedException ignored) {
                // halt anyway
            }
            Runtime.getRuntime().halt(4);
        }, "max-life");
        timer.setDaemon(true);
        timer.start();
    }
}
