package com.airtableintegrity.config;

import java.util.List;
import java.util.function.Consumer;

/** The startup validator's verdict on settings, for the tests of what it refuses. */
final class ConfigProblems {
    private ConfigProblems() {
    }

    /** Every problem of {@code settings} once {@code change} is applied (empty when they are valid). */
    static List<String> of(IntegrityProperties settings, Consumer<IntegrityProperties> change) {
        change.accept(settings);
        try {
            IntegrityPropertiesValidator.validate(settings);
            return List.of();
        } catch (InvalidConfigurationException e) {
            return e.problems();
        }
    }
}
