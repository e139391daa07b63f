package dev.helloworld.profiling;

import java.time.Duration;

/**
 * CPU work with a name the profiles can be searched for, like the HTTP plugin's do_something: a
 * loop that keeps a core busy, on a thread of its own until closed.
 */
final class BusyWork implements AutoCloseable {

    private static volatile long sink;

    private final Thread thread;
    private volatile boolean running = true;

    private BusyWork() {
        thread = new Thread(() -> {
            while (running) {
                doSomething(Duration.ofMillis(20));
            }
        }, "busy-work");
        thread.setDaemon(true);
    }

    static BusyWork start() {
        BusyWork work = new BusyWork();
        work.thread.start();
        return work;
    }

    /** Burns CPU for {@code time} on the calling thread. */
    static void doSomething(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        sink = x;
    }

    /**
     * Burns a fixed amount of CPU, {@code steps} turns of a loop, however long that takes: on a
     * loaded machine a loop that runs for a wall-clock time gets little CPU, and so few samples.
     */
    static void doSomething(long steps) {
        spin(steps);
    }

    /** Burns CPU as {@link #doSomething(long)} does, under another name: work done outside any request. */
    static void doSomethingUntraced(long steps) {
        spin(steps);
    }

    /**
     * A xorshift step per turn: JDK 25's C2 ran the old {@code x += x * 31 + 7} about fifty times
     * faster (8 samples where JDK 17 gives hundreds), so the work no longer took the CPU time the
     * test counts on. A shift-xor chain has no shortcut for a compiler to take.
     */
    private static void spin(long steps) {
        long x = steps | 1;
        for (long i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        sink = x;
    }

    /** Whether a stack (innermost first, {@code package.Class.method}) is inside {@link #doSomething}. */
    static boolean inDoSomething(java.util.List<String> frames) {
        return frames.stream().anyMatch(f -> f.equals(BusyWork.class.getName() + ".doSomething"));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
