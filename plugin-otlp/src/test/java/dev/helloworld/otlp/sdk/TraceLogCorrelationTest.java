package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class TraceLogCorrelationTest {

    private final TraceLogCorrelation correlation = new TraceLogCorrelation();

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void givesTheIdsOfTheCurrentSpan() {
        SpanContext context = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(context).makeCurrent()) {
            assertEquals("trace_id=0af7651916cd43dd8448eb211c80319c span_id=b7ad6b7169203331", correlation.current());
        }
    }

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void isEmptyInASpanThatIsNotSampledAndSoNeverExported() {
        SpanContext context = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getDefault(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(context).makeCurrent()) {
            assertEquals("", correlation.current());
        }
    }

    @Test
    void isEmptyOutsideASpan() {
        assertEquals("", correlation.current());
    }
}
