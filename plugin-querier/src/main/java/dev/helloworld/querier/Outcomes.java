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

    /** The counts so far, which start again from zero. */
    Snapshot drain() {
        return new Snapshot(drainAll(statuses), drainAll(failures), skipped.sumThenReset());
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
     */
    record Snapshot(Map<Integer, Long> statuses, Map<String, Long> failures, long skipped) {

        long calls() {
            return statuses.values().stream().mapToLong(Long::longValue).sum()
                    + failures.values().stream().mapToLong(Long::longValue).sum();
        }

        Snapshot plus(Snapshot other) {
            Map<Integer, Long> s = new TreeMap<>(statuses);
            other.statuses.forEach((k, v) -> s.merge(k, v, Long::sum));
            Map<String, Long> f = new TreeMap<>(failures);
            other.failures.forEach((k, v) -> f.merge(k, v, Long::sum));
            return new Snapshot(s, f, skipped + other.skipped);
        }

        /** {@code 2990 calls in 1m (49.8/s, target 50/s): 200=2700 500=290, failed: timeout=0, skipped: 0}. */
        String describe(Duration period, double targetRate) {
            double seconds = Math.max(period.toMillis(), 1) / 1000.0;
            String answered = statuses.isEmpty() ? "none answered" : statuses.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            String failed = failures.isEmpty() ? "" : ", failed: " + failures.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
            return String.format(java.util.Locale.ROOT, "%d calls in %.1fs (%.2f/s, target %s/s): %s%s, skipped: %d",
                    calls(), seconds, calls() / seconds, formatRate(targetRate), answered, failed, skipped);
        }

        private static String formatRate(double rate) {
            return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
        }
    }
}
