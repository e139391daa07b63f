package dev.helloworld.otlp.sdk;

import dev.helloworld.core.logging.RateLimit;
import dev.helloworld.otlp.delivery.Delivery;
import dev.helloworld.otlp.delivery.ExportFailure;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lets through at most one "Failed to export 3 spans. ..." warning per signal per interval from the OTLP
 * exporters, so that a collector that is down reads as one line a minute, not one per batch. The
 * line that gets through says how many were held back since the last one. The batch processors'
 * own warnings ("BatchSpanProcessor dropped 40 span(s) ... queue is full", "Exporter threw an
 * Exception: ...", one per batch under overload or with a broken exporter) and the metric reader's
 * ("Exporter timed out", "Exporter failed", one per interval while the exporter retries) are held
 * back the same way, each kind on its own.
 *
 * <p>A refusal that no retry can fix (HTTP 400, 401, 403, 404, 413 and their gRPC kin) gets its
 * likely cause appended ("Not sent again; check the token ..."), so that the one warning says
 * what to do; the batches of retryable failures are kept and re-sent ({@link Delivery}).
 *
 * <p>The SDK's own throttling (five a minute, then a "Too many log messages" notice) is finer
 * than ours; its notice would only confuse, so it is dropped, and so is the metric reader's
 * "Exporter failed", which follows each "Failed to export metrics" of the exporter: one line
 * per failed export.
 */
public final class ExportFailureFilter implements Filter {

    /** The SDK's batch processors and metric reader (the log processor logs as its worker class). */
    private static final List<String> COMPONENTS = List.of(
            "io.opentelemetry.sdk.trace.export.BatchSpanProcessor",
            "io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor$Worker",
            "io.opentelemetry.sdk.metrics.export.PeriodicMetricReader");

    /**
     * The loggers filtered: the exporters' (the current names, and those before 1.50 in case of a
     * downgrade), then the {@link #COMPONENTS}.
     */
    static final List<String> LOGGERS = Stream.concat(Stream.of(
            "io.opentelemetry.exporter.otlp.internal.HttpExporter",
            "io.opentelemetry.exporter.otlp.internal.GrpcExporter",
            "io.opentelemetry.exporter.internal.http.HttpExporter",
            "io.opentelemetry.exporter.internal.grpc.GrpcExporter"), COMPONENTS.stream()).toList();

    private static final Pattern FAILURE = Pattern.compile("Failed to export (?:\\d+ )?(\\w+)\\..*", Pattern.DOTALL);
    private static final Pattern STATUS = Pattern.compile("Server responded with (HTTP|gRPC) status code (\\d+)");
    private static final String SDK_THROTTLE_NOTICE = "Too many log messages detected";
    /** The metric reader's echo of a failed export that the exporter has just reported itself. */
    private static final String READER_ECHO = "Exporter failed";

    private final RateLimit limit;

    ExportFailureFilter(Duration interval, LongSupplier nanoClock) {
        this.limit = new RateLimit(interval, nanoClock);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        if (message == null) {
            return true;
        }
        if (message.startsWith(SDK_THROTTLE_NOTICE) || message.equals(READER_ECHO)
                && COMPONENTS.get(2).equals(record.getLoggerName())) {
            return false;
        }
        String kind = kindOf(record, message);
        if (kind == null) {
            return true;
        }
        int held = limit.tryAcquire(kind);
        if (held < 0) {
            return false;
        }
        // Filters run before any handler, so handlers print the amended record. A collector that
        // is down is a warning for this service (the SDK says SEVERE), and it retries on its own.
        record.setLevel(Level.WARNING);
        String amended = message + refusalCause(message) + unknownHost(record.getThrown());
        if (held > 0) {
            amended += " (" + held + " more such failures since the last report)";
        }
        record.setMessage(amended);
        return true;
    }

    /**
     * What is rate-limited together: the signal of an export failure; for the processors and the
     * metric reader, the logger and the message's first sentence without numbers, so that each
     * kind of their warnings (queue full, exporter failed, timed out, threw) is held back on its
     * own; null for anything else, which passes.
     */
    private static String kindOf(LogRecord record, String message) {
        Matcher failure = FAILURE.matcher(message);
        if (failure.matches()) {
            return failure.group(1);
        }
        String logger = record.getLoggerName();
        if (logger == null || !COMPONENTS.contains(logger) || record.getLevel().intValue() < Level.WARNING.intValue()) {
            return null;
        }
        int sentence = message.indexOf(". ");
        String first = sentence < 0 ? message : message.substring(0, sentence);
        return logger + ": " + first.replaceAll("\\d+", "N");
    }

    /**
     * For a status that no retry can fix, that the batch is not sent again and what is likely
     * wrong; nothing for a retryable one, whose batch is kept and re-sent ({@link Delivery}).
     */
    private static String refusalCause(String message) {
        Matcher status = STATUS.matcher(message);
        if (!status.find()) {
            return "";
        }
        return ExportFailure.likelyCause(status.group(1).equals("gRPC"), Integer.parseInt(status.group(2)))
                .map(cause -> " Not sent again; check " + cause + ".").orElse("");
    }

    /**
     * The SDK's message for a host that does not resolve ends in the bare host name ("The request
     * could not be executed. Full error message: collector"): said as check says it.
     */
    private static String unknownHost(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof java.net.UnknownHostException unknown) {
                return " Unknown host " + unknown.getMessage() + ": check the host name in --endpoint.";
            }
        }
        return "";
    }

    /** Starts afresh: the next failure of each signal is reported at once. */
    void forget() {
        limit.reset();
    }
}
