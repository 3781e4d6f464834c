package com.airtableintegrity.support;

import java.util.ArrayList;
import java.util.List;

/** The installed {@link Fault}s of {@link AirtableDouble}, in installation order, and which one decides a request. */
final class AirtableDoubleFaults {

    private final List<Fault> faults = new ArrayList<>(); // guarded by itself
    private volatile boolean present;

    Fault install(Fault fault) {
        synchronized (faults) {
            if (fault.installed) {
                throw new IllegalStateException("fault already installed: " + fault);
            }
            fault.installed = true;
            faults.add(fault);
            present = true;
        }
        return fault;
    }

    void clear() {
        synchronized (faults) {
            faults.clear();
            present = false;
        }
    }

    /** The first fault that matches and has firings left (consuming one), else null. Cheap when none installed. */
    Fault pick(String baseId, String tableName, int page) {
        if (!present) {
            return null;
        }
        synchronized (faults) {
            for (Fault f : faults) {
                if (f.remaining == 0 || !f.matches(baseId, tableName, page)) {
                    continue;
                }
                if (f.skip > 0) {
                    f.skip--;
                    continue;
                }
                if (f.remaining > 0) {
                    f.remaining--;
                }
                f.fired.incrementAndGet();
                return f;
            }
        }
        return null;
    }
}
