package dev.helloworld.testkit;

import java.time.Duration;

/**
 * Decides how the receiver answers each request: accept, refuse (injected failures), or hold it
 * unanswered while hanging. One monitor guards all of it, so that a request counted as held is
 * visible to {@link #awaitHeld} before it blocks.
 */
final class Gate {

    static final int ACCEPT = 200;
    /** What a refusal answers unless told otherwise: retryable in OTLP/HTTP (UNAVAILABLE in gRPC). */
    static final int UNAVAILABLE = 503;

    private int failuresLeft;
    /** Per signal: how many more to refuse, and with which status. */
    private final java.util.Map<String, int[]> signalFailures = new java.util.HashMap<>();
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

    synchronized void failNext(String signal, int n, int status) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, not " + n);
        }
        signalFailures.put(signal, new int[] {n, status});
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

    /**
     * {@link #ACCEPT} to accept a request of {@code signal}, else the HTTP status to refuse it
     * with. May block while hanging.
     */
    synchronized int pass(String signal) {
        if (closed) {
            return refuse();
        }
        if (failuresLeft > 0) {
            failuresLeft--;
            return refuse();
        }
        int[] ofSignal = signalFailures.get(signal);
        if (ofSignal != null && ofSignal[0] > 0) {
            ofSignal[0]--;
            refused++;
            return ofSignal[1];
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
        return ACCEPT;
    }

    private int refuse() {
        refused++;
        return UNAVAILABLE;
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
