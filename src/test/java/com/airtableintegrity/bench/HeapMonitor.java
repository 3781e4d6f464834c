package com.airtableintegrity.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Heap during one run. Two figures:
 * <ul>
 *   <li><b>peak live</b>: the largest heap occupancy right after any GC in the window (GC notifications, heap pools'
 *       usage-after-GC summed). With {@code forceGcEveryMillis > 0} a thread calls {@code System.gc()} (a full,
 *       compacting G1 collection) at that interval, so the figure is the live set sampled at that rate.</li>
 *   <li><b>peak used</b>: the largest {@code MemoryMXBean} heap used sampled every 2 ms (garbage included; with
 *       {@code -Xmx256m} it can never exceed 256 MB).</li>
 * </ul>
 */
final class HeapMonitor implements AutoCloseable {
    record Result(long peakLiveBytes, long peakUsedBytes, int gcs, long gcMillis) {
    }

    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong maxUsed = new AtomicLong();
    private final AtomicLong gcCount = new AtomicLong();
    private final AtomicLong gcMillis = new AtomicLong();
    private volatile boolean active;
    private final NotificationListener listener;
    private Thread sampler;
    private Thread forcer;

    HeapMonitor() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        listener = (notification, handback) -> {
            if (!active || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    used += e.getValue().getUsed();
                }
            }
            maxAfterGc.accumulateAndGet(used, Math::max);
            gcCount.incrementAndGet();
            gcMillis.addAndGet(info.getGcInfo().getDuration());
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
    }

    /** Live heap now: after two full GCs. */
    static long liveNow() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    void start(long forceGcEveryMillis) {
        maxAfterGc.set(0);
        maxUsed.set(0);
        gcCount.set(0);
        gcMillis.set(0);
        active = true;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        sampler = new Thread(() -> {
            while (active) {
                maxUsed.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                sleep(2);
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        if (forceGcEveryMillis > 0) {
            forcer = new Thread(() -> {
                while (active) {
                    sleep(forceGcEveryMillis);
                    if (active) {
                        System.gc();
                    }
                }
            }, "bench-gc-forcer");
            forcer.setDaemon(true);
            forcer.start();
        }
    }

    Result stop() {
        active = false;
        join(sampler);
        join(forcer);
        sampler = null;
        forcer = null;
        return new Result(maxAfterGc.get(), maxUsed.get(), (int) gcCount.get(), gcMillis.get());
    }

    private static void join(Thread t) {
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        active = false;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            try {
                ((NotificationEmitter) gc).removeNotificationListener(listener);
            } catch (Exception ignored) {
                // not registered
            }
        }
    }
}
