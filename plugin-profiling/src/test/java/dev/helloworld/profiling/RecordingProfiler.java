package dev.helloworld.profiling;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the profiler that records what it was told, per thread, as {@code spanId/name}
 * ({@code 0/-} for none): the native profiler keeps the same per-thread state, which no test can
 * read back from it.
 */
final class RecordingProfiler implements TracingContext {

    private final Map<String, Long> names = new ConcurrentHashMap<>();
    private final Map<Thread, List<String>> calls = new ConcurrentHashMap<>();

    @Override
    public void set(long spanId, long spanNameId) {
        String name = names.entrySet().stream().filter(e -> e.getValue() == spanNameId)
                .map(Map.Entry::getKey).findFirst().orElse("-");
        String call = (spanId == 0 ? "0" : Long.toHexString(spanId)) + "/" + name;
        List<String> mine = calls.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>());
        synchronized (mine) {
            mine.add(call);
        }
    }

    @Override
    public synchronized long register(String spanName) {
        return names.computeIfAbsent(spanName, n -> (long) names.size() + 1);
    }

    /** What {@code thread} was told, in order. */
    List<String> calls(Thread thread) {
        List<String> mine = calls.getOrDefault(thread, List.of());
        synchronized (mine) {
            return List.copyOf(mine);
        }
    }

    /** What the calling thread was told last, or empty when nothing. */
    String last(Thread thread) {
        List<String> mine = calls(thread);
        return mine.isEmpty() ? "" : mine.get(mine.size() - 1);
    }

    Map<Thread, List<String>> all() {
        Map<Thread, List<String>> copy = new ConcurrentHashMap<>();
        calls.keySet().forEach(t -> copy.put(t, calls(t)));
        return copy;
    }

    /** How a span id is recorded: its hex digits without leading zeros. */
    static String id(String hexSpanId) {
        return Long.toHexString(Long.parseUnsignedLong(hexSpanId, 16));
    }
}
