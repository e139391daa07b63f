package dev.helloworld.otlp.sdk;

import dev.helloworld.core.logging.LogCorrelation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Puts the current span's ids on console log lines, which the Java original leaves empty; only
 * for a sampled span, the kind that is exported: the ids of a trace that was not recorded (over
 * the trace rate limit, say) would send an operator looking for a trace that no backend has.
 */
public final class TraceLogCorrelation implements LogCorrelation {

    @Override
    public String current() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() && span.isSampled() ? "trace_id=" + span.getTraceId() + " span_id=" + span.getSpanId() : "";
    }
}
