package com.airtableintegrity.boot;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.TestSettings;

/** The settings the REST API tests boot the application with: the double, the emulator, no schedule, no run controller. */
public final class BootTestSettings {
    private BootTestSettings() {
    }

    public static void register(DynamicPropertyRegistry r, AirtableDouble airtable, FirestoreEmulator emulator, String runnerId) {
        r.add("integrity.airtable.token", () -> TestSettings.TOKEN);
        r.add("integrity.airtable.base-id", () -> TestSettings.BASE);
        r.add("integrity.airtable.api-url", airtable::baseUrl);
        r.add("integrity.firestore.project-id", emulator::projectId);
        r.add("integrity.firestore.emulator-host", emulator::hostPort);
        r.add("integrity.schedule.cron", () -> TestSettings.NEVER);
        r.add("integrity.run.runner-id", () -> runnerId);
        r.add("camel.main.run-controller", () -> "false");
    }

    /** Run starts limited to a burst of 5 that refills quickly (10 a second), so each test starts with a full bucket. */
    public static void quickStartLimit(DynamicPropertyRegistry r) {
        r.add("integrity.api.start-burst", () -> "5");
        r.add("integrity.api.start-per-minute", () -> "600");
    }
}
