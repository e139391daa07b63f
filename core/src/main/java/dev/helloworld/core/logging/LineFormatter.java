package dev.helloworld.core.logging;

import dev.helloworld.core.host.ServiceHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The original service's console format: {@code 2024-05-01 12:00:00 INFO: [http] service started},
 * with {@code [trace_id=.. span_id=..]} before the message when logged inside a span.
 *
 * <p>Loggers named {@code helloworld.<service>} print as {@code [<service>]}; others by their full
 * name. A thrown exception adds its message to the line; its stack trace only in debug mode,
 * because stack traces are for bugs, not for a collector that is down.
 */
public final class LineFormatter extends Formatter {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /**
     * The last second formatted. Lines have whole seconds and a busy server logs thousands per
     * second, so formatting each time was a fifth of the console handler's CPU (bench/, with
     * async-profiler). One immutable pair, so that a race costs a second formatting, never a
     * wrong time.
     */
    private volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private record Second(long epochSecond, String text) {}

    private final boolean stackTraces;
    private final List<LogCorrelation> correlations;

    public LineFormatter(boolean stackTraces) {
        this(stackTraces, ServiceLoader.load(LogCorrelation.class).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    LineFormatter(boolean stackTraces, List<LogCorrelation> correlations) {
        this.stackTraces = stackTraces;
        this.correlations = List.copyOf(correlations);
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(128)
                .append(time(record.getInstant())).append(' ')
                .append(levelName(record.getLevel())).append(": [")
                .append(source(record.getLoggerName())).append("] ");
        for (LogCorrelation correlation : correlations) {
            String ids = correlationOf(correlation);
            if (!ids.isEmpty()) {
                line.append('[').append(ids).append("] ");
            }
        }
        line.append(formatMessage(record));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            String message = thrown.getMessage();
            if (message != null && !line.toString().endsWith(message)) {
                line.append(": ").append(message);
            }
            if (stackTraces) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
            }
        }
        return line.append(System.lineSeparator()).toString();
    }

    private String time(Instant instant) {
        Second second = lastSecond;
        if (second.epochSecond() != instant.getEpochSecond()) {
            second = new Second(instant.getEpochSecond(), TIME.format(instant));
            lastSecond = second;
        }
        return second.text();
    }

    /** A broken correlation provider costs the line its ids, never the line itself. */
    private static String correlationOf(LogCorrelation correlation) {
        try {
            String ids = correlation.current();
            return ids == null ? "" : ids;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Python's names, as the original prints them. */
    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        }
        if (v >= Level.INFO.intValue()) {
            return "INFO";
        }
        return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static String source(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "root";
        }
        return loggerName.startsWith(ServiceHost.LOGGER_PREFIX)
                ? loggerName.substring(ServiceHost.LOGGER_PREFIX.length())
                : loggerName;
    }
}
