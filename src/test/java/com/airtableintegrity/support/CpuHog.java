package com.airtableintegrity.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Keeps every core busy (one spinning thread per core) until closed: a machine busy with other work. */
public final class CpuHog implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    public CpuHog() {
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(this::spin, "cpu-hog-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void spin() {
        long x = 0;
        while (running.get()) {
            x = x * 31 + 7; // work the JIT cannot remove: the loop reads a volatile each turn
        }
        if (x == 42) {
            System.out.print("");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}
