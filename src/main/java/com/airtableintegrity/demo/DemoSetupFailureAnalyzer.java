package com.airtableintegrity.demo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** The demo profile's setup failures (no emulator, a bad DEMO_FAULT) as Spring Boot's short report, no stack trace. */
public class DemoSetupFailureAnalyzer extends AbstractFailureAnalyzer<DemoSetupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DemoSetupException cause) {
        return new FailureAnalysis(cause.getMessage(), "Fix the above and start the demo profile again "
                + "(README, \"Try it in one command\").", cause);
    }
}
