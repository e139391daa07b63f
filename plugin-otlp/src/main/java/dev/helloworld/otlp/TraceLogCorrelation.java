package dev.helloworld.otlp;

import dev.helloworld.core.logging.LogCorrelation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** Puts the current span's ids on console log lines, which the Java original leaves empty. */
public final class TraceLogCorrelation implements LogCorrelation {

    @Override
    public String current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? "trace_id=" + span.getTraceId() + " span_id=" + span.getSpanId() : "";
    }
}
