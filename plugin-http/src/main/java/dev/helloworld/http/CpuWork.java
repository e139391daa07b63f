package dev.helloworld.http;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The original's {@code do_something(max_ms)}: keeps a CPU busy for {@code max(10, random(0..max_ms))}
 * milliseconds. A busy loop, not a sleep, so that CPU profiles show where the time goes.
 */
final class CpuWork {

    private static final int MIN_MS = 10;

    private final double scale;

    /** @param scale multiplies every duration; 0 turns the work off (for benchmarks and tests) */
    CpuWork(double scale) {
        this.scale = scale;
    }

    /**
     * Burns CPU for a random time of at least 10 ms and at most {@code maxMs} ms, both times the
     * scale. Ends early when the thread is interrupted, as the server's workers are when a stop
     * runs out of time.
     */
    void doSomething(int maxMs) {
        long ms = Math.max(MIN_MS, ThreadLocalRandom.current().nextInt(maxMs + 1));
        long nanos = (long) (ms * 1_000_000L * scale);
        if (nanos <= 0) {
            return;
        }
        long end = System.nanoTime() + nanos;
        double sink = 0;
        Thread self = Thread.currentThread();
        while (System.nanoTime() < end && !self.isInterrupted()) {
            sink += Math.sqrt(sink + 1);
        }
        if (sink < 0) {
            // Never true; reading the result keeps the JIT from discarding the loop body.
            throw new AssertionError(sink);
        }
    }
}
