package com.airtableintegrity.support;

import java.util.List;

import com.airtableintegrity.config.IntegrityProperties;
import com.airtableintegrity.config.TableSpec;

/** Settings for tests: the Airtable double, the emulator, short bounds, and schedules that never fire by themselves. */
public final class TestSettings {
    public static final String TOKEN = "patTESTSECRET.0123456789abcdefSECRETTOKEN";
    public static final String BASE = "appTESTBASE000001";
    /** A cron that never fires during a test (1 January 2099). */
    public static final String NEVER = "0 0 0 1 1 ? 2099";

    private TestSettings() {
    }

    public static IntegrityProperties of(AirtableDouble airtable, FirestoreEmulator emulator, List<TableSpec> tables) {
        IntegrityProperties p = IntegrityProperties.defaults();
        p.getAirtable().setToken(TOKEN);
        p.getAirtable().setBaseId(BASE);
        p.getAirtable().setApiUrl(airtable.baseUrl());
        p.getAirtable().setRequestTimeoutSeconds(10);
        p.getAirtable().setConnectTimeoutSeconds(2);
        p.getAirtable().setRequestsPerSecond(1000);
        p.getAirtable().setTokenRequestsPerSecond(10_000);
        p.getAirtable().setBackoffInitialMillis(50);
        p.getAirtable().setBackoffMaxMillis(200);
        p.getAirtable().setRateLimitWaitSeconds(1);
        p.getRun().setMaxDurationSeconds(60);
        // no schema request for record links: these tests count and fault requests page by page; the tests of the
        // links turn them on (RunToRunDiffTest), and every Spring Boot, jar and Quarkus test runs with the default
        p.getIssues().setRecordLinks(false);
        p.getRun().setHeartbeatIntervalSeconds(1);
        p.getRun().setRunnerId("test-runner");
        p.getSchedule().setCron(NEVER);
        p.getSchedule().setMinIntervalSeconds(1); // schedule documents firing every 1-2 s
        p.getSweep().setCron(NEVER);
        p.getNotify().setCron(NEVER); // the notification tests poll the outbox every second
        p.getSweep().setHeartbeatStaleAfterSeconds(30);
        p.getFirestore().setProjectId(emulator.projectId());
        p.getFirestore().setEmulatorHost(emulator.hostPort());
        p.getFirestore().setCallTimeoutSeconds(5);
        p.setTables(tables);
        return p;
    }
}
