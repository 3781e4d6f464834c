package com.airtableintegrity.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One channel a schedule notifies and the events it is told of ({@code notify: [{channel, events}]} on a schedule
 * document, {@code integrity.schedule.notify} for the configured schedule). Events: {@code error}, {@code timeout},
 * {@code new_issues}, {@code recovered}, {@code every_run}.
 */
public class NotifySpec {
    public static final String ERROR = "error";
    public static final String TIMEOUT = "timeout";
    public static final String NEW_ISSUES = "new_issues";
    public static final String RECOVERED = "recovered";
    public static final String EVERY_RUN = "every_run";
    /** The events, in the order a run's notices list them. */
    public static final List<String> EVENTS = List.of(ERROR, TIMEOUT, NEW_ISSUES, RECOVERED, EVERY_RUN);

    private String channel = "";
    private List<String> events = new ArrayList<>();

    public NotifySpec() {
    }

    public NotifySpec(String channel, List<String> events) {
        this.channel = channel;
        setEvents(events);
    }

    public String getChannel() { return channel; }
    public void setChannel(String channel) { this.channel = channel; }
    public List<String> getEvents() { return events; }
    public void setEvents(List<String> events) { this.events = events == null ? new ArrayList<>() : events; }
}
