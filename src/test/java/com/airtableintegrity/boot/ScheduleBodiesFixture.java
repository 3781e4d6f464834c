package com.airtableintegrity.boot;

/** Schedule bodies as a user would write them to {@code /api/schedules}. */
final class ScheduleBodiesFixture {
    static final String LEADS_BASE = "appLEADSBASE00001";

    private ScheduleBodiesFixture() {
    }

    /** A valid schedule of base {@link #LEADS_BASE}, table Leads (required Name, links to Owners), on {@code cron}. */
    static String leads(String cron) {
        return """
                {"name": "Leads", "base_id": "%s", "cron": "%s", "time_zone": "Europe/Berlin", "enabled": true,
                 "tables": [
                   {"name": "Leads", "rules": [{"type": "required", "field": "Name"},
                                               {"type": "links_to", "field": "Owner", "table": "Owners"}]},
                   {"name": "Owners", "rules": []}]}
                """.formatted(LEADS_BASE, cron);
    }
}
