package com.airtableintegrity.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Per-run request counters, stored on the run document as {@code counters}. */
public final class RunCounters {
    public final AtomicLong requests = new AtomicLong();
    public final AtomicLong retries = new AtomicLong();
    public final AtomicLong rateLimited = new AtomicLong();
    public final AtomicLong pages = new AtomicLong();
    public final AtomicLong throttleWaitMillis = new AtomicLong();
    public final AtomicLong iteratorRestarts = new AtomicLong();

    public Map<String, Object> toDocument() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", requests.get());
        m.put("retries", retries.get());
        m.put("rate_limited_429", rateLimited.get());
        m.put("pages", pages.get());
        m.put("throttle_wait_ms", throttleWaitMillis.get());
        m.put("iterator_restarts", iteratorRestarts.get());
        return m;
    }
}
