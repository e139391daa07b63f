package dev.helloworld.profiling;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets one event through per window and counts the rest, so that an endpoint that is down for an
 * hour costs a handful of warnings rather than one per retry.
 */
final class RateLimit {

    private final long windowNanos;
    private final LongSupplier clock;
    private long windowStart;
    private boolean started;
    private int suppressed;

    RateLimit(Duration window, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    /**
     * Whether this event may be reported; if so, how many were held back since the last one
     * (0 or more), otherwise -1.
     */
    synchronized int tryAcquire() {
        long now = clock.getAsLong();
        if (started && now - windowStart < windowNanos) {
            suppressed++;
            return -1;
        }
        started = true;
        windowStart = now;
        int held = suppressed;
        suppressed = 0;
        return held;
    }
}
