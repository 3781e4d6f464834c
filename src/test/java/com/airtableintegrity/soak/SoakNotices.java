package com.airtableintegrity.soak;

import com.airtableintegrity.support.NoticeReceiver;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The soak's notification rows: every run notifies a webhook receiver of its end ({@code every_run}); after the runs
 * are terminal and the outbox has settled, the notices the runs owe are compared with what the receiver got. A notice
 * is lost when it is not delivered; a duplicate (the same id twice at the receiver, after a claim's runner died or
 * its Firestore write failed) is counted, as at-least-once delivery allows it.
 */
final class SoakNotices {
    static final String CHANNEL = "soak";
    static final String SECRET = "soak-webhook-secret-0123456789";

    private SoakNotices() {
    }

    @SuppressWarnings("unchecked")
    static void rows(SoakChecks checks, List<Map<String, Object>> runs, List<NoticeReceiver.Received> received) {
        int owed = 0;
        int delivered = 0;
        Set<String> deliveredIds = new HashSet<>();
        for (Map<String, Object> run : runs) {
            if (run.get("notices") instanceof List<?> notices) {
                for (Object o : notices) {
                    Map<String, Object> n = (Map<String, Object>) o;
                    owed++;
                    if ("delivered".equals(n.get("state"))) {
                        delivered++;
                        deliveredIds.add((String) n.get("key"));
                    }
                }
            }
        }
        List<String> ids = received.stream().map(r -> r.headers().get("idempotency-key")).toList();
        Set<String> distinct = new HashSet<>(ids);
        Set<String> recordedNotReceived = new HashSet<>(deliveredIds);
        recordedNotReceived.removeAll(distinct);
        long terminal = runs.stream().filter(r -> !"running".equals(r.get("status"))).count();
        checks.add("notices owed (every_run, one per terminal run)", owed + " of " + terminal + " runs",
                Math.abs(owed - terminal), 0.0);
        checks.add("notices lost (owed, not delivered)", String.valueOf(owed - delivered), owed - delivered, 0.0);
        checks.add("notices recorded delivered but never received", String.valueOf(recordedNotReceived.size()),
                recordedNotReceived.size(), 0.0);
        checks.add("notice duplicates at the receiver (same id again)", String.valueOf(ids.size() - distinct.size()),
                ids.size() - distinct.size(), null);
    }
}
