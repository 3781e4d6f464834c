package com.airtableintegrity.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The typed view of every {@code integrity.*} setting. The defaults live in one place, the packaged
 * {@code application.yaml} (each beside the environment variable that overrides it): Spring Boot binds it, and every
 * other runtime or test starts from {@link #defaults()}, which binds the same file. {@link
 * IntegrityPropertiesValidator}
 * checks the values at startup.
 */
@ConfigurationProperties(prefix = "integrity")
public class IntegrityProperties {

    private Airtable airtable = new Airtable();
    private Run run = new Run();
    private Schedule schedule = new Schedule();
    private Sweep sweep = new Sweep();
    private Firestore firestore = new Firestore();
    private Issues issues = new Issues();
    private Shutdown shutdown = new Shutdown();
    private Api api = new Api();
    private Console console = new Console();
    private NotifySettings notify = new NotifySettings();
    private List<TableSpec> tables = new ArrayList<>();

    /**
     * The settings as the packaged {@code application.yaml} defaults them, placeholders resolved to their defaults
     * (no environment variable is read: callers apply their own settings on top).
     */
    public static IntegrityProperties defaults() {
        try {
            List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application.yaml",
                    new ClassPathResource("application.yaml"));
            Binder binder = new Binder(ConfigurationPropertySources.from(yaml),
                    new PropertySourcesPlaceholdersResolver(yaml));
            return binder.bind("integrity", IntegrityProperties.class).orElseThrow(
                    () -> new IllegalStateException("the packaged application.yaml has no integrity settings"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged application.yaml", e);
        }
    }

    public static class Airtable {
        /** Personal access token; secret: never logged, never stored. */
        private String token = "";
        private String baseId = "";
        private String apiUrl = "";
        private int pageSize;
        /** Wall-clock bound of one request, from connect to the last byte of the body. */
        private int requestTimeoutSeconds;
        private int connectTimeoutSeconds;
        private int schemaReadTimeoutSeconds;
        /**
         * Proactive throttle: requests per base per throttle period (a large value, e.g. 100000, effectively disables
         * it).
         */
        private int requestsPerSecond;
        /** Requests per throttle period across all bases (Airtable: 50 per second per token's user). */
        private int tokenRequestsPerSecond;
        /**
         * The throttle's window; a little above 1000 ms keeps network jitter from ever making 6 requests land in 1 s.
         */
        private int throttlePeriodMillis;
        /** Attempts per page for 5xx, resets, timeouts and truncated bodies (first try included). */
        private int maxAttempts;
        private int backoffInitialMillis;
        private int backoffMaxMillis;
        /** Upper bound on the time spent on one page, retries and waits included; 0 means the request timeout. */
        private int retryBudgetSeconds;
        /** Wait after a 429 when the answer has no Retry-After header (Airtable's penalty is 30 s). */
        private int rateLimitWaitSeconds;
        /** Attempts per page when Airtable answers 429 (first try included). */
        private int rateLimitMaxAttempts;
        /** How often one table's iteration may restart from page 1 after LIST_RECORDS_ITERATOR_NOT_AVAILABLE. */
        private int iteratorRestarts;
        /** Bytes one page's answer may have; beyond it the table fails (a real page of 100 records is far smaller). */
        private int maxPageBytes;

        public int getMaxPageBytes() { return maxPageBytes; }
        public void setMaxPageBytes(int maxPageBytes) { this.maxPageBytes = maxPageBytes; }
        public String getToken() { return token; }
        public void setToken(String token) { this.token = token; }
        public String getBaseId() { return baseId; }
        public void setBaseId(String baseId) { this.baseId = baseId; }
        public String getApiUrl() { return apiUrl; }
        public void setApiUrl(String apiUrl) { this.apiUrl = apiUrl; }
        public int getPageSize() { return pageSize; }
        public void setPageSize(int pageSize) { this.pageSize = pageSize; }
        public int getRequestTimeoutSeconds() { return requestTimeoutSeconds; }
        public void setRequestTimeoutSeconds(int requestTimeoutSeconds) {
            this.requestTimeoutSeconds = requestTimeoutSeconds;
        }
        public int getSchemaReadTimeoutSeconds() { return schemaReadTimeoutSeconds; }
        public void setSchemaReadTimeoutSeconds(int schemaReadTimeoutSeconds) {
            this.schemaReadTimeoutSeconds = schemaReadTimeoutSeconds;
        }
        public int getConnectTimeoutSeconds() { return connectTimeoutSeconds; }
        public void setConnectTimeoutSeconds(int connectTimeoutSeconds) {
            this.connectTimeoutSeconds = connectTimeoutSeconds;
        }
        public int getRequestsPerSecond() { return requestsPerSecond; }
        public void setRequestsPerSecond(int requestsPerSecond) { this.requestsPerSecond = requestsPerSecond; }
        public int getTokenRequestsPerSecond() { return tokenRequestsPerSecond; }
        public void setTokenRequestsPerSecond(int tokenRequestsPerSecond) {
            this.tokenRequestsPerSecond = tokenRequestsPerSecond;
        }
        public int getThrottlePeriodMillis() { return throttlePeriodMillis; }
        public void setThrottlePeriodMillis(int throttlePeriodMillis) {
            this.throttlePeriodMillis = throttlePeriodMillis;
        }
        public int getMaxAttempts() { return maxAttempts; }
        public void setMaxAttempts(int maxAttempts) { this.maxAttempts = maxAttempts; }
        public int getBackoffInitialMillis() { return backoffInitialMillis; }
        public void setBackoffInitialMillis(int backoffInitialMillis) {
            this.backoffInitialMillis = backoffInitialMillis;
        }
        public int getBackoffMaxMillis() { return backoffMaxMillis; }
        public void setBackoffMaxMillis(int backoffMaxMillis) { this.backoffMaxMillis = backoffMaxMillis; }
        public int getRetryBudgetSeconds() { return retryBudgetSeconds; }
        public void setRetryBudgetSeconds(int retryBudgetSeconds) { this.retryBudgetSeconds = retryBudgetSeconds; }
        public int getRateLimitWaitSeconds() { return rateLimitWaitSeconds; }
        public void setRateLimitWaitSeconds(int rateLimitWaitSeconds) {
            this.rateLimitWaitSeconds = rateLimitWaitSeconds;
        }
        public int getRateLimitMaxAttempts() { return rateLimitMaxAttempts; }
        public void setRateLimitMaxAttempts(int rateLimitMaxAttempts) {
            this.rateLimitMaxAttempts = rateLimitMaxAttempts;
        }
        public int getIteratorRestarts() { return iteratorRestarts; }
        public void setIteratorRestarts(int iteratorRestarts) { this.iteratorRestarts = iteratorRestarts; }
    }

    public static class Run {
        private int maxDurationSeconds;
        private int heartbeatIntervalSeconds;
        /** Stable id of this runner (same across restarts, used by startup recovery); defaults to the host name. */
        private String runnerId = "";
        /** Tables scanned at once across all runs (the table split's threads). */
        private int tableThreads;

        public int getMaxDurationSeconds() { return maxDurationSeconds; }
        public void setMaxDurationSeconds(int maxDurationSeconds) { this.maxDurationSeconds = maxDurationSeconds; }
        public int getHeartbeatIntervalSeconds() { return heartbeatIntervalSeconds; }
        public void setHeartbeatIntervalSeconds(int heartbeatIntervalSeconds) {
            this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
        }
        public String getRunnerId() { return runnerId; }
        public void setRunnerId(String runnerId) { this.runnerId = runnerId; }
        public int getTableThreads() { return tableThreads; }
        public void setTableThreads(int tableThreads) { this.tableThreads = tableThreads; }
    }

    public static class Schedule {
        private String cron = "";
        /** The channels and events of the configured schedule's runs (and of manual runs of it). */
        private List<NotifySpec> notify = new ArrayList<>();

        public List<NotifySpec> getNotify() { return notify; }
        public void setNotify(List<NotifySpec> notify) { this.notify = notify == null ? new ArrayList<>() : notify; }
        private int minIntervalSeconds;
        private int threads;
        private int maxStored;

        public String getCron() { return cron; }
        public void setCron(String cron) { this.cron = cron; }
        /** The shortest gap allowed between two firings of a schedule written as data. */
        public int getMinIntervalSeconds() { return minIntervalSeconds; }
        public void setMinIntervalSeconds(int minIntervalSeconds) { this.minIntervalSeconds = minIntervalSeconds; }
        /** Quartz threads: schedules whose runs can go at once (a firing holds its thread for its whole run). */
        public int getThreads() { return threads; }
        public void setThreads(int threads) { this.threads = threads; }
        /** The most schedule documents there may be: a create beyond is refused, a document beyond is not applied. */
        public int getMaxStored() { return maxStored; }
        public void setMaxStored(int maxStored) { this.maxStored = maxStored; }
    }

    public static class Sweep {
        private String cron = "";
        private int maxAgeSeconds;
        private int heartbeatStaleAfterSeconds;

        public String getCron() { return cron; }
        public void setCron(String cron) { this.cron = cron; }
        public int getMaxAgeSeconds() { return maxAgeSeconds; }
        public void setMaxAgeSeconds(int maxAgeSeconds) { this.maxAgeSeconds = maxAgeSeconds; }
        public int getHeartbeatStaleAfterSeconds() { return heartbeatStaleAfterSeconds; }
        public void setHeartbeatStaleAfterSeconds(int heartbeatStaleAfterSeconds) {
            this.heartbeatStaleAfterSeconds = heartbeatStaleAfterSeconds;
        }
    }

    public static class Firestore {
        private String projectId = "";
        /** host:port of the Firestore emulator; empty means production Firestore with Google's default credentials. */
        private String emulatorHost = "";
        private String collection = "";
        private String schedulesCollection = "";
        private int callTimeoutSeconds;
        /** Attempts of the final status write before the run is left to the sweep. */
        private int finishAttempts;

        public String getProjectId() { return projectId; }
        public void setProjectId(String projectId) { this.projectId = projectId; }
        public String getEmulatorHost() { return emulatorHost; }
        public void setEmulatorHost(String emulatorHost) { this.emulatorHost = emulatorHost; }
        public String getCollection() { return collection; }
        public String getSchedulesCollection() { return schedulesCollection; }
        public void setSchedulesCollection(String schedulesCollection) {
            this.schedulesCollection = schedulesCollection;
        }
        public void setCollection(String collection) { this.collection = collection; }
        public int getCallTimeoutSeconds() { return callTimeoutSeconds; }
        public void setCallTimeoutSeconds(int callTimeoutSeconds) { this.callTimeoutSeconds = callTimeoutSeconds; }
        public int getFinishAttempts() { return finishAttempts; }
        public void setFinishAttempts(int finishAttempts) { this.finishAttempts = finishAttempts; }
    }

    public static class Issues {
        private int maxStored;
        /** Each run reads its base's schema once, for the table ids of its issues' {@code record_url}. */
        private boolean recordLinks;

        public int getMaxStored() { return maxStored; }
        public void setMaxStored(int maxStored) { this.maxStored = maxStored; }
        public boolean isRecordLinks() { return recordLinks; }
        public void setRecordLinks(boolean recordLinks) { this.recordLinks = recordLinks; }
    }

    public static class Shutdown {
        /**
         * From SIGTERM to exit: live runs are stopped and their final status written within it, then the process
         * exits; at the end of it the exit is forced. 8 s fits Cloud Run (10 s) and Kubernetes (30 s by default).
         */
        private int timeoutSeconds;

        public int getTimeoutSeconds() { return timeoutSeconds; }
        public void setTimeoutSeconds(int timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
    }

    /** The REST API's guards. */
    public static class Api {
        /** Run start requests (REST and JMX) allowed at once; the bucket refills at start-per-minute. */
        private int startBurst;
        private int startPerMinute;
        /** Largest request body accepted on any path; larger ones answer 413 before being buffered. */
        private int maxBodyBytes;

        public int getStartBurst() { return startBurst; }
        public void setStartBurst(int startBurst) { this.startBurst = startBurst; }
        public int getStartPerMinute() { return startPerMinute; }
        public void setStartPerMinute(int startPerMinute) { this.startPerMinute = startPerMinute; }
        private int maxScheduleBodyBytes;

        public int getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
        /** The cap of a request body under /api/schedules (a schedule lists tables and rules). */
        public int getMaxScheduleBodyBytes() { return maxScheduleBodyBytes; }
        public void setMaxScheduleBodyBytes(int maxScheduleBodyBytes) {
            this.maxScheduleBodyBytes = maxScheduleBodyBytes;
        }
    }

    /** The web console as people reach it. */
    public static class Console {
        /** The console's address as its users open it (e.g. https://integrity.example.com), for links in notices. */
        private String publicUrl = "";

        public String getPublicUrl() { return publicUrl; }
        public void setPublicUrl(String publicUrl) { this.publicUrl = publicUrl; }
    }

    public Console getConsole() { return console; }
    public void setConsole(Console console) { this.console = console; }
    public NotifySettings getNotify() { return notify; }
    public void setNotify(NotifySettings notify) { this.notify = notify; }
    public Airtable getAirtable() { return airtable; }
    public void setAirtable(Airtable airtable) { this.airtable = airtable; }
    public Run getRun() { return run; }
    public void setRun(Run run) { this.run = run; }
    public Schedule getSchedule() { return schedule; }
    public void setSchedule(Schedule schedule) { this.schedule = schedule; }
    public Sweep getSweep() { return sweep; }
    public void setSweep(Sweep sweep) { this.sweep = sweep; }
    public Firestore getFirestore() { return firestore; }
    public void setFirestore(Firestore firestore) { this.firestore = firestore; }
    public Issues getIssues() { return issues; }
    public void setIssues(Issues issues) { this.issues = issues; }
    public Shutdown getShutdown() { return shutdown; }
    public void setShutdown(Shutdown shutdown) { this.shutdown = shutdown; }
    public Api getApi() { return api; }
    public void setApi(Api api) { this.api = api; }
    public List<TableSpec> getTables() { return tables; }
    public void setTables(List<TableSpec> tables) {
        this.tables = tables == null ? new ArrayList<>() : new ArrayList<>(tables);
    }

    /** Names of the configured tables, in configuration order. */
    public List<String> tableNames() {
        return tables.stream().map(TableSpec::getName).toList();
    }
}
