package dev.helloworld.otlp.sdk;

import dev.helloworld.core.spi.BuildVersion;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Turns java.util.logging records into OpenTelemetry log records: severity, body, source and
 * thread, the exception, and the current context, so that records written inside a span carry its
 * trace and span ids. The instrumentation project bridges JUL only in its Java agent, not as a
 * library, hence this small handler.
 *
 * <p>It runs on every request thread, twice per request, so it stays cheap: no
 * {@code code.function.name} (the source of a JUL record is found by walking the caller's stack,
 * which cost more than the rest of the record together under load; see BENCHMARKS.md), and one
 * OTel logger per JUL logger name instead of a lookup in the provider's registry per record.
 * {@code thread.name} and {@code thread.id} only when asked for, as the Java agent's bridge has
 * them: the semantic conventions call them experimental.
 */
public final class OtelLogHandler extends Handler {

    private static final String SCOPE = "helloworld";
    /** The 'otel' logger is this project's: its scope carries the version of the build. */
    private static final String VERSION = BuildVersion.of(OtelLogHandler.class);

    // Keys made once: the String overloads of setAttribute make a key per call, on every request thread.
    private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
    private static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");

    private final LoggerProvider provider;
    private final BooleanSupplier dropUnrecorded;
    private final boolean threadAttributes;
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    // Only its formatMessage is used: parameters and resource bundles, as every JUL handler does it.
    private final Formatter messages = new SimpleFormatter();

    /**
     * @param dropUnrecorded whether a record written inside a trace that is not recorded is to be
     *                       dropped now: always with --logs-trace-based, else while the backlog
     *                       guard holds new traces back, so that records cannot fill the queue
     *                       that the guard keeps from overflowing
     * @param threadAttributes whether each record carries {@code thread.name} and {@code thread.id}
     *                       ({@code OTEL_INSTRUMENTATION_JAVA_UTIL_LOGGING_EXPERIMENTAL_LOG_ATTRIBUTES})
     */
    public OtelLogHandler(LoggerProvider provider, BooleanSupplier dropUnrecorded, boolean threadAttributes) {
        this.provider = provider;
        this.dropUnrecorded = dropUnrecorded;
        this.threadAttributes = threadAttributes;
        setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String name = record.getLoggerName();
        Logger logger = loggers.computeIfAbsent(name == null || name.isEmpty() ? SCOPE : name,
                scope -> provider.loggerBuilder(scope).setInstrumentationVersion(VERSION).build());
        Severity severity = severity(record.getLevel());
        Context context = Context.current();
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (span.isValid() && !span.isSampled()) {
            if (dropUnrecorded.getAsBoolean()) {
                return;
            }
            // Kept, as the specification keeps it, but without the ids of a span that exists nowhere.
            context = context.with(Span.getInvalid());
        }
        // Asked first, so that a record the SDK would throw away costs no formatting.
        if (!logger.isEnabled(severity, context)) {
            return;
        }
        LogRecordBuilder log = logger.logRecordBuilder()
                .setTimestamp(record.getInstant())
                .setSeverity(severity)
                // The log data model's short name (ERROR), not java.util.logging's (SEVERE).
                .setSeverityText(severity.name())
                .setBody(messages.formatMessage(record))
                .setContext(context);
        if (threadAttributes) {
            // JUL publishes on the thread that logged, so the current thread is the source.
            log.setAttribute(THREAD_NAME, Thread.currentThread().getName())
                    .setAttribute(THREAD_ID, record.getLongThreadID());
        }
        if (record.getThrown() != null) {
            log.setException(record.getThrown());
        }
        log.emit();
    }

    /** The same mapping as the instrumentation project's JUL bridge (its Java agent). */
    static Severity severity(Level level) {
        int v = level.intValue();
        if (v > Level.SEVERE.intValue()) {
            return Severity.FATAL;
        }
        if (v > Level.WARNING.intValue()) {
            return Severity.ERROR;
        }
        if (v > Level.INFO.intValue()) {
            return Severity.WARN;
        }
        if (v > Level.CONFIG.intValue()) {
            return Severity.INFO;
        }
        if (v > Level.FINE.intValue()) {
            return Severity.DEBUG3;
        }
        if (v > Level.FINER.intValue()) {
            return Severity.DEBUG2;
        }
        return v > Level.FINEST.intValue() ? Severity.DEBUG : Severity.TRACE;
    }

    @Override
    public void flush() {
        // Records are handed to the SDK as they come; its processors do the buffering.
    }

    @Override
    public void close() {
        // The SDK is shut down by the service, not by java.util.logging.
    }
}
