package dev.helloworld.core.logging;

/**
 * Adds trace correlation to console log lines. The OTLP plugin provides one that returns
 * {@code trace_id=... span_id=...} inside a sampled span; core, which knows nothing of tracing, only
 * prints what it gets. Found with {@link java.util.ServiceLoader}.
 */
public interface LogCorrelation {

    /** Text for the current thread's log line, such as {@code trace_id=.. span_id=..}, or empty. */
    String current();
}
