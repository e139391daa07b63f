package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The processor against a recording stand-in for the profiler: no native code here. */
class ProfileLinkingSpanProcessorTest {

    /** What the processor told the profiler, per thread, as "spanId/spanName" ("0/-" for none). */
    private static final class RecordingProfiler implements TracingContext {
        final Map<String, Long> names = new ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public void set(long spanId, long spanNameId) {
            String name = names.entrySet().stream().filter(e -> e.getValue() == spanNameId)
                    .map(Map.Entry::getKey).findFirst().orElse("-");
            calls.add(Thread.currentThread().getName() + ":" + (spanId == 0 ? "0" : Long.toHexString(spanId)) + "/" + name);
        }

        @Override
        public long register(String spanName) {
            return names.computeIfAbsent(spanName, n -> (long) names.size() + 1);
        }
    }

    private final RecordingProfiler profiler = new RecordingProfiler();
    private TracingContext active;
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(new ProfileLinkingSpanProcessor(() -> active))
            .build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void localRootSpansCarryTheirIdAsProfileIdAndSetTheThreadsContext() {
        active = profiler;
        Span root = tracer.spanBuilder("GET /helloworld").startSpan();
        try (Scope ignored = root.makeCurrent()) {
            Span child = tracer.spanBuilder("do_something").startSpan();
            child.end();
        }
        root.end();

        String id = root.getSpanContext().getSpanId();
        String thread = Thread.currentThread().getName();
        assertEquals(List.of(thread + ":" + trimmed(id) + "/GET /helloworld", thread + ":0/-"), profiler.calls,
                "a child span neither sets nor resets the context");
        assertEquals(id, ((ReadWriteSpan) root).getAttribute(ProfileLinkingSpanProcessor.PROFILE_ID));
    }

    @Test
    void aSpanContinuingARemoteTraceIsALocalRoot() {
        active = profiler;
        SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        Span server = tracer.spanBuilder("GET /helloworld").setParent(Context.root().with(Span.wrap(remote))).startSpan();
        server.end();

        assertEquals(server.getSpanContext().getSpanId(), ((ReadWriteSpan) server).getAttribute(ProfileLinkingSpanProcessor.PROFILE_ID));
        assertEquals(2, profiler.calls.size(), profiler.calls.toString());
    }

    @Test
    void aNestedLocalRootRestoresTheOuterContextWhenItEnds() {
        active = profiler;
        Span outer = tracer.spanBuilder("outer").startSpan();
        Span inner = tracer.spanBuilder("inner").setNoParent().startSpan();
        inner.end();
        outer.end();

        String t = Thread.currentThread().getName() + ":";
        assertEquals(List.of(
                t + trimmed(outer.getSpanContext().getSpanId()) + "/outer",
                t + trimmed(inner.getSpanContext().getSpanId()) + "/inner",
                t + trimmed(outer.getSpanContext().getSpanId()) + "/outer",
                t + "0/-"), profiler.calls);
    }

    @Test
    void aSpanEndedOnAnotherThreadLeavesThatThreadsContextAlone() throws Exception {
        active = profiler;
        Span root = tracer.spanBuilder("async").startSpan();
        Thread other = new Thread(root::end, "other");
        other.start();
        other.join();

        assertEquals(List.of(Thread.currentThread().getName() + ":" + trimmed(root.getSpanContext().getSpanId()) + "/async"),
                profiler.calls, "only the start is recorded; 'other' was never set, so there is nothing to reset");
    }

    @Test
    void spansEndedOnAnotherThreadDoNotPileUpOnTheThreadThatStartedThem() throws Exception {
        active = profiler;
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 1000; i++) {
                // As the HTTP server span: started on an I/O thread, ended on a worker.
                Span request = tracer.spanBuilder("GET /helloworld").startSpan();
                worker.submit(() -> request.end()).get();
            }
        } finally {
            worker.shutdown();
        }
        Span last = tracer.spanBuilder("last").startSpan();
        last.end();

        String t = Thread.currentThread().getName() + ":";
        assertEquals(List.of(t + trimmed(last.getSpanContext().getSpanId()) + "/last", t + "0/-"),
                profiler.calls.subList(profiler.calls.size() - 2, profiler.calls.size()),
                "the last span's end resets the context, rather than restoring that of a request long over");
    }

    @Test
    void doesNothingWhileNoProfilerRuns() {
        active = null;
        Span root = tracer.spanBuilder("GET /helloworld").startSpan();
        root.end();

        assertNull(((ReadWriteSpan) root).getAttribute(ProfileLinkingSpanProcessor.PROFILE_ID),
                "no profile id for a span that no profile can show");
        assertEquals(List.of(), profiler.calls);
    }

    private static String trimmed(String hexSpanId) {
        return Long.toHexString(Long.parseUnsignedLong(hexSpanId, 16));
    }
}
