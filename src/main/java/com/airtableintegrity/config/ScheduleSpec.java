package com.airtableintegrity.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A schedule as data (issue 10's model, document {@code integrity_schedules/{id}}): one base, a Quartz cron in an
 * IANA time zone, whether it is enabled, its tables with their rules (the shapes of {@code integrity.tables}), and
 * optional overrides of the run deadline and the request timeout, and the channels its runs notify.
 */
public class ScheduleSpec {
    private String name = "";
    private String baseId = "";
    private String cron = "";
    private String timeZone = "UTC";
    private boolean enabled = true;
    private List<TableSpec> tables = new ArrayList<>();
    private Integer maxDurationSeconds;
    private Integer requestTimeoutSeconds;
    private List<NotifySpec> notify = new ArrayList<>();

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getBaseId() { return baseId; }
    public void setBaseId(String baseId) { this.baseId = baseId; }
    public String getCron() { return cron; }
    public void setCron(String cron) { this.cron = cron; }
    public String getTimeZone() { return timeZone; }
    public void setTimeZone(String timeZone) { this.timeZone = timeZone; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public List<TableSpec> getTables() { return tables; }
    public void setTables(List<TableSpec> tables) { this.tables = tables == null ? new ArrayList<>() : tables; }
    public Integer getMaxDurationSeconds() { return maxDurationSeconds; }
    public void setMaxDurationSeconds(Integer maxDurationSeconds) { this.maxDurationSeconds = maxDurationSeconds; }
    public List<NotifySpec> getNotify() { return notify; }
    public void setNotify(List<NotifySpec> notify) { this.notify = notify == null ? new ArrayList<>() : notify; }
    public Integer getRequestTimeoutSeconds() { return requestTimeoutSeconds; }
    public void setRequestTimeoutSeconds(Integer requestTimeoutSeconds) {
        this.requestTimeoutSeconds = requestTimeoutSeconds;
    }
}
