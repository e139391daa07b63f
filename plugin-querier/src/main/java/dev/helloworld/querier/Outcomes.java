package dev.helloworld.querier;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * What the calls came back with, counted by status code, failure and skip, so that a steady load
 * can report its achieved rate. Thread-safe; a snapshot-and-reset per report.
 */
final class Outcomes {

    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder cancelled = new LongAdder();

    void status(int code) {
        statuses.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void failure(Throwable e) {
        failures.computeIfAbsent(HelloWorldCaller.describe(e), c -> new LongAdder()).increment();
    }

    /** A call that was due but not sent, because the concurrency limit was reached. */
    void skipped() {
        skipped.increment();
    }

    /** A call in flight that the querier itself cancelled because it was stopping: not a failure of the target. */
    void cancelled() {
        cancelled.increment();
    }

    /** The counts so far, which start again from zero. */
    Snapshot drain() {
        return new Snapshot(drainAll(statuses), drainAll(failures), skipped.sumThenReset(), cancelled.sumThenReset());
    }

    private static <K extends Comparable<K>> Map<K, Long> drainAll(Map<K, LongAdder> counts) {
        Map<K, Long> result = new TreeMap<>();
        counts.forEach((k, v) -> {
            long n = v.sumThenReset();
            if (n > 0) {
                result.put(k, n);
            }
        });
        return result;
    }

    /**
     * The counts of one period.
     *
     * @param statuses calls answered, by status code
     * @param failures calls that got no answer, by reason
     * @param skipped  calls not sent because too many were in flight
     * @param cancelled calls in flight that stopping cancelled
     */
    record Snapshot(Map<Integer, Long> statuses, Map<String, Long> failures, long skipped, long cancelled) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0, 0);

        long calls() {
            return statuses.values().stream().mapToLong(Long::longValue).sum()
                    + failures.values().stream().mapToLong(Long::longValue).sum() + cancelled;
        }

        Snapshot plus(Snapshot other) {
            Map<Integer, Long> s = new TreeMap<>(statuses);
            other.statuses.forEach((k, v) -> s.merge(k, v, Long::sum));
            Map<String, Long> f = new TreeMap<>(failures);
            other.failures.forEach((k, v) -> f.merge(k, v, Long::sum));
            return new Snapshot(s, f, skipped + other.skipped, cancelled + other.cancelled);
        }

        /**
         * {@code 2990 calls in 60.0s (49.83/s, target 50/s): 200=2700 500=289, failed: timeout=1, skipped: 0};
         * {@code , cancelled at stop: 3} when stopping cancelled calls in flight.
         */
        String describe(Duration period, double targetRate) {
            double seconds = Math.max(period.toMillis(), 1) / 1000.0;
            String answered = statuses.isEmpty() ? "none answered" : statuses.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            String failed = failures.isEmpty() ? "" : ", failed: " + failures.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            return String.format(java.util.Locale.ROOT, "%d calls in %.1fs (%.2f/s, target %s/s): %s%s, skipped: %d%s",
                    calls(), seconds, calls() / seconds, formatRate(targetRate), answered, failed, skipped,
                    cancelled == 0 ? "" : ", cancelled at stop: " + cancelled);
        }

        private static String formatRate(double rate) {
            return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
        }
    }
}
