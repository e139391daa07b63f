package dev.helloworld.verify;

import java.time.Duration;

/** One deadline shared by every check of a read-back: the user waits once, not once per backend. */
record Deadline(long startNanos, long endNanos) {

    /** How often a backend is asked again while its data is not visible yet. */
    static final Duration POLL_EVERY = Duration.ofMillis(500);

    static Deadline after(Duration wait) {
        long now = System.nanoTime();
        return new Deadline(now, now + wait.toNanos());
    }

    boolean passed() {
        return System.nanoTime() - endNanos >= 0;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    Duration total() {
        return Duration.ofNanos(endNanos - startNanos);
    }

    /** Waits one poll interval, or less when the deadline is nearer; false when it has passed. */
    boolean pause() throws InterruptedException {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        Thread.sleep(Math.max(1, Math.min(POLL_EVERY.toMillis(), left / 1_000_000)));
        return true;
    }
}
