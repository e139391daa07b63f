package dev.helloworld.core.logging;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets one event of each kind through per window and counts the rest, so that a collector or a
 * profiling server that is down for an hour costs a warning a minute, not one per retry. The one
 * place where plugins rate-limit what they log.
 */
public final class RateLimit {

    private record Window(long start, int held) {}

    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new HashMap<>();

    /** @param nanoClock a {@link System#nanoTime()}-like clock; tests pass their own */
    public RateLimit(Duration window, LongSupplier nanoClock) {
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    public RateLimit(Duration window) {
        this(window, System::nanoTime);
    }

    /**
     * Whether an event of {@code kind} may be reported: if so, how many of that kind were held
     * back since the last one reported (0 or more); otherwise -1, and it is counted.
     */
    public synchronized int tryAcquire(String kind) {
        long now = clock.getAsLong();
        Window window = windows.get(kind);
        if (window != null && now - window.start() < windowNanos) {
            windows.put(kind, new Window(window.start(), window.held() + 1));
            return -1;
        }
        windows.put(kind, new Window(now, 0));
        return window == null ? 0 : window.held();
    }

    /** Forgets every window: the next event of each kind passes at once. */
    public synchronized void reset() {
        windows.clear();
    }
}
