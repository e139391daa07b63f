package dev.helloworld.testkit;

import java.time.Duration;

/**
 * Decides how the receiver answers each request: accept, refuse (injected failures), or hold it
 * unanswered while hanging. One monitor guards all of it, so that a request counted as held is
 * visible to {@link #awaitHeld} before it blocks.
 */
final class Gate {

    private int failuresLeft;
    private int refused;
    private int held;
    private long generation;
    private boolean hanging;
    private boolean closed;

    synchronized void failNext(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, not " + n);
        }
        failuresLeft = n;
    }

    synchronized void hang() {
        hanging = true;
    }

    synchronized void release() {
        hanging = false;
        generation++;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        hanging = false;
        notifyAll();
    }

    /** True to accept the request; false to answer it with a retryable error. May block while hanging. */
    synchronized boolean pass() {
        if (closed) {
            return refuse();
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return refuse();
        }
        if (hanging) {
            long mine = generation;
            boolean interrupted = false;
            held++;
            notifyAll();
            try {
                while (generation == mine && !closed) {
                    wait();
                }
            } catch (InterruptedException e) {
                // The server is shutting its threads down: let the request go unanswered-as-refused.
                Thread.currentThread().interrupt();
                interrupted = true;
            } finally {
                held--;
            }
            if (closed || interrupted) {
                return refuse();
            }
        }
        return true;
    }

    private boolean refuse() {
        refused++;
        return false;
    }

    synchronized int refused() {
        return refused;
    }

    synchronized int held() {
        return held;
    }

    synchronized boolean awaitHeld(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (held < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
