package dev.helloworld.core.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the services of one test did, in the order they did it; safe to write from any thread. */
final class Journal {

    private final List<String> entries = new ArrayList<>();

    synchronized void add(String entry) {
        entries.add(entry);
        notifyAll();
    }

    synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    /** Waits until {@code entry} is written, for at most {@code timeout}; false if it never was. */
    synchronized boolean awaitEntry(String entry, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!entries.contains(entry)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    @Override
    public synchronized String toString() {
        return entries.toString();
    }
}
