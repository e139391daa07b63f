package dev.helloworld.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** do_something keeps a thread running, so that profiles show it, and does nothing at scale 0. */
class CpuWorkTest {

    @Test
    void keepsTheThreadRunnableForTheWholeTimeInsteadOfSleeping() throws Exception {
        // max(10, random(0..0)) = 10 ms, times 30.
        Thread worker = new Thread(() -> new CpuWork(30).doSomething(0), "cpu-work-test");
        Set<Thread.State> seen = EnumSet.noneOf(Thread.State.class);
        long start = System.nanoTime();
        worker.start();
        while (worker.isAlive()) {
            Thread.State state = worker.getState();
            if (state != Thread.State.TERMINATED) {
                seen.add(state);
            }
            Thread.onSpinWait();
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(EnumSet.of(Thread.State.RUNNABLE), seen, "a busy loop is only ever RUNNABLE; a sleep would wait");
        assertTrue(elapsedMillis >= 300, () -> "expected at least 300 ms, took " + elapsedMillis + " ms");
    }

    @Test
    void endsEarlyWhenItsThreadIsInterrupted() throws Exception {
        // 10 s of work unless interrupted.
        Thread worker = new Thread(() -> new CpuWork(1000).doSomething(0), "cpu-work-test");
        worker.start();
        long start = System.nanoTime();
        worker.interrupt();
        worker.join(5000);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertFalse(worker.isAlive(), "still working 5 s after the interrupt");
        assertTrue(elapsedMillis < 5000, () -> "took " + elapsedMillis + " ms to end after the interrupt");
    }

    @Test
    void doesNoWorkAtScaleZero() {
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            new CpuWork(0).doSomething(100);
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        // 1000 calls of at least 10 ms each would take 10 s at any other scale.
        assertTrue(elapsedMillis < 1000, () -> "expected no work at scale 0, 1000 calls took " + elapsedMillis + " ms");
    }
}
