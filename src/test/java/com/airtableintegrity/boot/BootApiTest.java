package com.airtableintegrity.boot;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.airtableintegrity.support.AirtableDouble;
import com.airtableintegrity.support.FirestoreEmulator;
import com.airtableintegrity.support.TestSettings;

/**
 * The fixture of the tests that talk to the running application over HTTP: Spring Boot on a random port against the
 * emulator and one Airtable double shared by these classes (it lives as long as the test JVM), no schedule, and an
 * {@link ApiClient}. The context closes after each class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
public abstract class BootApiTest {
    protected static final FirestoreEmulator EMULATOR = FirestoreEmulator.shared();
    protected static final AirtableDouble AIRTABLE = AirtableDouble.start(TestSettings.TOKEN);

    @Autowired
    protected Environment environment;
    protected ApiClient api;

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry r) {
        BootTestSettings.register(r, AIRTABLE, EMULATOR, "boot-api-test-runner");
    }

    @BeforeEach
    protected void client() {
        api = new ApiClient(environment);
    }
}
