package com.airtableintegrity.config;

import java.util.List;

/** Startup stops with this when a setting is invalid; the message names every key at fault. */
public class InvalidConfigurationException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid integrity-runner configuration:\n - " + String.join("\n - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
