package dev.helloworld.launcher;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;

/**
 * An incident's window as the service recorded it (the start and end log records of the scenarios
 * plugin's truth), in Unix nanoseconds: what the scenario tests judge each signal against.
 */
record RecordedWindow(long start, long end) {

    /**
     * The window between the recorded start and end of {@code scenario} whose parameters contain
     * {@code with} (its first element, if any).
     *
     * @param endedBy how the end's record goes on after {@code ended: }, such as {@code its window
     *                ended}; empty for any end
     */
    static RecordedWindow await(OtlpReceiver otlp, Duration patience, String endedBy, String scenario, String... with) {
        String parameters = with.length == 0 ? "" : with[0];
        LogRecord start = otlp.awaitLogRecord(b -> b.startsWith("scenario " + scenario + " started") && b.contains(parameters),
                patience);
        LogRecord end = otlp.awaitLogRecord(b -> b.startsWith("scenario " + scenario + " ended: " + endedBy)
                && b.contains(parameters), patience);
        return new RecordedWindow(start.getTimeUnixNano(), end.getTimeUnixNano());
    }

    /** Wholly inside. */
    boolean contains(Span span) {
        return span.getStartTimeUnixNano() >= start && span.getEndTimeUnixNano() <= end;
    }

    /** Wholly before or after. */
    boolean excludes(Span span) {
        return span.getEndTimeUnixNano() < start || span.getStartTimeUnixNano() > end;
    }

    /** The median of the spans' durations, in nanoseconds. */
    static double medianDuration(List<Span> spans) {
        long[] durations = spans.stream().mapToLong(s -> s.getEndTimeUnixNano() - s.getStartTimeUnixNano()).sorted().toArray();
        return durations[durations.length / 2];
    }
}
