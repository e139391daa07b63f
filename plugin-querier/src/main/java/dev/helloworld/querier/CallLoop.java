package dev.helloworld.querier;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** When calls are made: once per interval, or at a steady rate. Stopped in three steps by the service. */
interface CallLoop {

    /** Prefix of every thread a loop starts, so that a leak is easy to spot in a thread dump. */
    String THREAD_NAME = "querier";

    void start();

    /** No call starts after this returns; calls in flight go on. */
    void shutdown();

    /** Waits for the calls in flight; whether they all ended in time. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Interrupts what is left, after the calls in flight have been cancelled; awaitTermination then waits for them. */
    void shutdownNow();

    /** Daemon threads named {@code querier-<role>-<n>}: a hung stop must not keep the JVM alive. */
    static ThreadFactory threads(String role) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME + "-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
