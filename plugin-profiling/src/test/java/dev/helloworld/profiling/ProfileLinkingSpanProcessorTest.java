package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The processor alone: which spans get a profile id and which local root each span is recorded
 * under. Parents are passed explicitly, so that no context is ever made current here.
 */
class ProfileLinkingSpanProcessorTest {

    private TracingContext active = new RecordingProfiler();
    private final LocalRoots roots = new LocalRoots();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(new ProfileLinkingSpanProcessor(() -> active, roots))
            .build();
    private final Tracer tracer = provider.get("test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void localRootSpansCarryTheirIdAsProfileIdAndTheirChildrenNone() {
        Span root = tracer.spanBuilder("GET /helloworld").startSpan();
        Span child = tracer.spanBuilder("do_something").setParent(Context.root().with(root)).startSpan();

        assertEquals(root.getSpanContext().getSpanId(), attribute(root));
        assertNull(attribute(child), "a child span is not a profile of its own");
        child.end();
        root.end();
    }

    @Test
    void aSpanContinuingARemoteTraceIsALocalRoot() {
        SpanContext remote = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        Span server = tracer.spanBuilder("GET /helloworld").setParent(Context.root().with(Span.wrap(remote))).startSpan();

        assertEquals(server.getSpanContext().getSpanId(), attribute(server));
        assertSame(server, roots.of(server).span());
        server.end();
    }

    @Test
    void everyDescendantIsRecordedUnderItsLocalRootUntilItEnds() {
        Span root = tracer.spanBuilder("GET /helloworld").startSpan();
        Span child = tracer.spanBuilder("handle").setParent(Context.root().with(root)).startSpan();
        Span grandchild = tracer.spanBuilder("do_something").setParent(Context.root().with(child)).startSpan();
        long rootId = Long.parseUnsignedLong(root.getSpanContext().getSpanId(), 16);

        for (Span span : new Span[] {root, child, grandchild}) {
            assertSame(root, roots.of(span).span(), "root of " + span);
            assertEquals(rootId, roots.of(span).spanId(), "root id of " + span);
        }
        root.end();
        assertNull(roots.of(root), "an ended root is forgotten");
        assertSame(root, roots.of(grandchild).span(), "a child still running keeps its root");
        grandchild.end();
        child.end();
        assertEquals(0, roots.size(), "nothing is kept once every span has ended");
    }

    @Test
    void doesNothingWhileNoProfilerRuns() {
        active = null;
        Span root = tracer.spanBuilder("GET /helloworld").startSpan();
        Span child = tracer.spanBuilder("do_something").setParent(Context.root().with(root)).startSpan();

        assertNull(attribute(root), "no profile id for a span that no profile can show");
        assertNull(roots.of(root));
        assertNull(roots.of(child));
        child.end();
        root.end();
    }

    private static String attribute(Span span) {
        return ((ReadWriteSpan) span).getAttribute(ProfileLinkingSpanProcessor.PROFILE_ID);
    }
}
