package com.airtableintegrity.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code integrity.notify.*}: the named channels, and how the outbox delivers what runs owe them. Every call to a
 * receiver is bounded (connect, read gap, wall clock); a notice is retried with a doubling back-off for
 * {@code retry-for}, then given up (recorded, counted, never silently dropped).
 */
public class NotifySettings {
    private Map<String, ChannelSpec> channels = new LinkedHashMap<>();
    private String cron = "";
    private Duration retryFor = Duration.ofHours(24);
    private int backoffInitialSeconds;
    private int backoffMaxSeconds;
    private int connectTimeoutSeconds;
    private int readTimeoutSeconds;
    private int sendTimeoutSeconds;
    private int rateLimitSeconds;
    private int maxAnswerBytes;
    private int batchSize;

    public Map<String, ChannelSpec> getChannels() { return channels; }
    public void setChannels(Map<String, ChannelSpec> channels) {
        this.channels = channels == null ? new LinkedHashMap<>() : new LinkedHashMap<>(channels);
    }
    /** The delivery poll (a Quartz cron): each firing claims the notices that are due. */
    public String getCron() { return cron; }
    public void setCron(String cron) { this.cron = cron; }
    public Duration getRetryFor() { return retryFor; }
    public void setRetryFor(Duration retryFor) { this.retryFor = retryFor; }
    public int getBackoffInitialSeconds() { return backoffInitialSeconds; }
    public void setBackoffInitialSeconds(int backoffInitialSeconds) {
        this.backoffInitialSeconds = backoffInitialSeconds;
    }
    public int getBackoffMaxSeconds() { return backoffMaxSeconds; }
    public void setBackoffMaxSeconds(int backoffMaxSeconds) { this.backoffMaxSeconds = backoffMaxSeconds; }
    public int getConnectTimeoutSeconds() { return connectTimeoutSeconds; }
    public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
        this.connectTimeoutSeconds = connectTimeoutSeconds;
    }
    /** The longest gap between two bytes of an answer. */
    public int getReadTimeoutSeconds() { return readTimeoutSeconds; }
    public void setReadTimeoutSeconds(int readTimeoutSeconds) { this.readTimeoutSeconds = readTimeoutSeconds; }
    /** The wall-clock bound of one whole call, from connect to the last byte of the answer. */
    public int getSendTimeoutSeconds() { return sendTimeoutSeconds; }
    public void setSendTimeoutSeconds(int sendTimeoutSeconds) { this.sendTimeoutSeconds = sendTimeoutSeconds; }
    /** At most one {@code error} (or {@code timeout}) notice per schedule and channel in this window. */
    public int getRateLimitSeconds() { return rateLimitSeconds; }
    public void setRateLimitSeconds(int rateLimitSeconds) { this.rateLimitSeconds = rateLimitSeconds; }
    /** How much of a receiver's answer body is read (for the delivery record); the rest is discarded. */
    public int getMaxAnswerBytes() { return maxAnswerBytes; }
    public void setMaxAnswerBytes(int maxAnswerBytes) { this.maxAnswerBytes = maxAnswerBytes; }
    /** Notices claimed by one poll. */
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
}
