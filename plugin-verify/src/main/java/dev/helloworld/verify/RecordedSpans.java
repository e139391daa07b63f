package dev.helloworld.verify;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every sampled span as it ends: the spans the exporter is handed, in the order they ended. */
final class RecordedSpans implements SpanProcessor {

    /** Set by plugin-profiling's span processor on the spans that a profile is labelled with. */
    static final AttributeKey<String> PROFILE_ID = AttributeKey.stringKey("pyroscope.profile.id");

    private record Ended(String traceId, Manifest.Span span) {}

    private final ConcurrentLinkedQueue<Ended> ended = new ConcurrentLinkedQueue<>();

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
        return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) {
            return;
        }
        String parent = span.getParentSpanContext().isValid() ? span.getParentSpanContext().getSpanId() : "";
        String profile = span.getAttribute(PROFILE_ID);
        ended.add(new Ended(span.getSpanContext().getTraceId(), new Manifest.Span(span.getSpanContext().getSpanId(),
                parent, span.getName(), span.getKind().name(),
                span.toSpanData().getStatus().getStatusCode() == StatusCode.ERROR, profile == null ? "" : profile)));
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    /** The traces so far, in the order their first span ended, with {@code logs}' count for each. */
    List<Manifest.Trace> traces(RecordedLogs logs) {
        Map<String, List<Manifest.Span>> byTrace = new LinkedHashMap<>();
        for (Ended e : ended) {
            byTrace.computeIfAbsent(e.traceId(), id -> new ArrayList<>()).add(e.span());
        }
        List<Manifest.Trace> traces = new ArrayList<>();
        byTrace.forEach((id, spans) -> traces.add(new Manifest.Trace(id, List.copyOf(spans), logs.inTrace(id))));
        return traces;
    }
}
