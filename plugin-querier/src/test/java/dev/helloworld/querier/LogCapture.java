package dev.helloworld.querier;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records what one java.util.logging logger receives, with the span current when it was logged. */
final class LogCapture extends Handler implements AutoCloseable {

    record Line(Level level, String message, SpanContext span) {
        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        // Held strongly: java.util.logging keeps loggers weakly, and a collected one loses its handler.
        this.logger = Logger.getLogger(loggerName);
        logger.addHandler(this);
    }

    static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getParameters() == null || record.getParameters().length == 0
                ? record.getMessage()
                : java.text.MessageFormat.format(record.getMessage(), record.getParameters());
        lines.add(new Line(record.getLevel(), message, Span.current().getSpanContext()));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> matching(Predicate<String> message) {
        return lines.stream().filter(l -> message.test(l.message())).toList();
    }

    /** Waits until {@code count} lines match; fails listing what was logged. */
    List<Line> await(Predicate<String> message, int count, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (matching(message).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " x " + what + " within 20s; logged: " + lines);
            }
            Thread.sleep(10);
        }
        return matching(message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
