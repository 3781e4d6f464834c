package com.airtableintegrity.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid setting into Spring Boot's short "APPLICATION FAILED TO START" report, without a stack trace. When
 * the settings a first start lacks (token, base, project) are among them, one more line points to the demo profile.
 */
public class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {
    static final String DEMO_HINT = "New here? See it work first, without an Airtable account or a Google Cloud "
            + "project: ./mvnw spring-boot:run -Dspring-boot.run.profiles=demo (or java -jar <jar> "
            + "--spring.profiles.active=demo).";

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        String message = cause.getMessage();
        boolean firstStart = message.contains("integrity.airtable.token ") || message.contains("integrity.airtable"
                + ".base-id ") || message.contains("integrity.firestore.project-id ");
        return new FailureAnalysis(message,
                "Fix the settings above in application.yaml or through the environment variables named beside them."
                        + (firstStart ? "\n" + DEMO_HINT : ""),
                cause);
    }
}
