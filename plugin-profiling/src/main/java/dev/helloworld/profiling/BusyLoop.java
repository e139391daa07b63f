package dev.helloworld.profiling;

import java.time.Duration;

/** CPU work for a check's profile to sample: a profile of an idle process can be empty. */
final class BusyLoop {

    private static volatile long sink;

    private BusyLoop() {}

    static void run(Duration length) {
        long end = System.nanoTime() + length.toNanos();
        long x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        sink = x;
    }
}
