package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting in tests: always for a condition, always with a deadline, never a bare sleep. */
final class Deadlines {

    /** Long enough never to be hit on a loaded machine, short enough that a hang fails the run. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Deadlines() {}

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), () -> "waited " + PATIENCE + " for " + what);
    }

    static void join(Thread thread) throws InterruptedException {
        thread.join(PATIENCE.toMillis());
        assertTrue(!thread.isAlive(), () -> thread.getName() + " still running after " + PATIENCE
                + " in state " + thread.getState());
    }

    /** Polls {@code condition} until it holds; fails with {@code state}'s last value otherwise. */
    static void poll(BooleanSupplier condition, String what, Supplier<Object> state) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + PATIENCE + " for " + what + "; last seen: " + state.get());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** A thread that waits for a lock or a latch, as opposed to one still on its way there. */
    static boolean blocked(Thread thread) {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.BLOCKED;
    }

    /** Starts {@code body} on a new thread named {@code name}, recording what it threw in {@code thrown}. */
    static Thread run(String name, ThrowingRunnable body, java.util.concurrent.atomic.AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
