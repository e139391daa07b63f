package dev.helloworld.topology;

import java.util.List;

/** Durations as the conventions record them: in seconds, into histograms with these buckets. */
final class Seconds {

    /**
     * The buckets the HTTP conventions advise for their durations. Semconv 1.43 advises none for
     * the RPC and messaging durations; the SDK's default buckets are meant for milliseconds and
     * would put every call of the shop in the first one.
     */
    static final List<Double> BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0,
            7.5, 10.0);

    private Seconds() {}

    /** Seconds from {@code startNanos} (a System.nanoTime() value) to now. */
    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
