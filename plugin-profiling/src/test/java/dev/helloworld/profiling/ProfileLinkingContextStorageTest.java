package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The context storage wrapper as the process uses it: installed into OpenTelemetry's own storage
 * before anything touches {@code Context} (this class runs in a JVM of its own, see the pom), so
 * that {@code makeCurrent} and {@code Context.wrap} go through it, with a recording stand-in for
 * the profiler. The real profiler's samples are {@link SpanProfileLinkTest}'s.
 */
@SuppressWarnings("try") // scopes are used for their side effect
class ProfileLinkingContextStorageTest {

    static {
        ProfileLinkingContextStorage.install();
    }

    private final RecordingProfiler profiler = new RecordingProfiler();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(new ProfileLinkingSpanProcessor()).build();
    private final Tracer tracer = provider.get("test");
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "io"));
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> new Thread(r, "worker"));
    private final ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "client"));

    @BeforeEach
    void useTheRecordingProfiler() {
        assertTrue(ProfileLinkingContextStorage.installed(), "installed before Context was first used");
        ActiveProfiler.use(profiler);
    }

    @AfterEach
    void close() throws InterruptedException {
        ActiveProfiler.clear();
        for (ExecutorService pool : List.of(io, workers, client)) {
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        provider.close();
    }

    @Test
    void theWorkOfARequestIsTaggedWithItsLocalRootOnEveryThreadItsContextReaches() throws Exception {
        // As the HTTP server: the span starts on an I/O thread, the work is dispatched to a worker,
        // where a child span's context hops once more, to an HTTP client's thread.
        Thread[] threads = new Thread[3];
        String[] seen = new String[3];
        Span request = tracer.spanBuilder("GET /helloworld").startSpan();
        Future<?> work = io.submit(() -> {
            Future<?> onWorker;
            try (Scope ignored = request.makeCurrent()) {
                threads[0] = Thread.currentThread();
                seen[0] = profiler.last(threads[0]);
                onWorker = workers.submit(Context.current().wrap(() -> {
                    threads[1] = Thread.currentThread();
                    Span handle = tracer.spanBuilder("handle/hello_world").startSpan();
                    try (Scope alsoIgnored = handle.makeCurrent()) {
                        seen[1] = profiler.last(threads[1]);
                        client.submit(Context.current().wrap(() -> {
                            threads[2] = Thread.currentThread();
                            seen[2] = profiler.last(threads[2]);
                        })).get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        handle.end();
                    }
                }));
            }
            return onWorker;
        }).get();
        // The futures of the wrapped tasks complete once their scopes have closed.
        work.get();
        request.end();

        String tagged = RecordingProfiler.id(request.getSpanContext().getSpanId()) + "/GET /helloworld";
        assertEquals(List.of(tagged, tagged, tagged), List.of(seen), "tag while the request's context is current on io, worker, client");
        for (Thread thread : threads) {
            assertEquals("0/-", profiler.last(thread), "tag of " + thread.getName() + " once the request's scope closed: "
                    + profiler.calls(thread));
        }
    }

    @Test
    void samplesCarryTheNameTheRootHasWhenItsContextBecomesCurrent() throws Exception {
        Span request = tracer.spanBuilder("GET").startSpan();
        String id = RecordingProfiler.id(request.getSpanContext().getSpanId());
        String onWorker;
        try (Scope ignored = request.makeCurrent()) {
            assertEquals(id + "/GET", profiler.last(Thread.currentThread()), "before routing");
            // Routing matched: the server span takes the route's name before the work is dispatched.
            request.updateName("GET /helloworld");
            onWorker = workers.submit(Context.current().wrap(() -> profiler.last(Thread.currentThread()))).get();
        }
        request.end();

        assertEquals(id + "/GET /helloworld", onWorker);
    }

    @Test
    void closingAScopeRestoresTheTagOfTheContextCurrentAgain() {
        Thread me = Thread.currentThread();
        Span outer = tracer.spanBuilder("outer").startSpan();
        Span inner = tracer.spanBuilder("inner").setNoParent().startSpan();
        try (Scope o = outer.makeCurrent()) {
            try (Scope i = inner.makeCurrent()) {
                assertEquals(RecordingProfiler.id(inner.getSpanContext().getSpanId()) + "/inner", profiler.last(me));
            }
            assertEquals(RecordingProfiler.id(outer.getSpanContext().getSpanId()) + "/outer", profiler.last(me));
            try (Scope none = Context.root().makeCurrent()) {
                assertEquals("0/-", profiler.last(me), "a context without a span is no request's");
            }
        }
        inner.end();
        outer.end();
        assertEquals("0/-", profiler.last(me));
    }

    @Test
    void aServerSpanContinuingARemoteTraceIsTheRootItsWorkIsTaggedWith() throws Exception {
        SpanContext caller = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        Span server = tracer.spanBuilder("GET /helloworld").setParent(Context.root().with(Span.wrap(caller))).startSpan();
        String onWorker = workers.submit(Context.root().with(server).wrap(() -> profiler.last(Thread.currentThread()))).get();
        server.end();

        assertEquals(RecordingProfiler.id(server.getSpanContext().getSpanId()) + "/GET /helloworld", onWorker);
    }

    @Test
    void spansThatNoProfileShowsAreNotTagged() throws Exception {
        Thread me = Thread.currentThread();
        // Another SDK in the process, without the processor (with one of its own: an SDK without any
        // records nothing, and its spans are invalid); and a span started before profiling.
        try (SdkTracerProvider other = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build()) {
            Span foreign = other.get("test").spanBuilder("foreign").startSpan();
            try (Scope ignored = foreign.makeCurrent()) {
                assertEquals("0/-", profiler.last(me));
            }
            foreign.end();
        }
        ActiveProfiler.clear();
        Span early = tracer.spanBuilder("early").startSpan();
        ActiveProfiler.use(profiler);
        try (Scope ignored = early.makeCurrent()) {
            assertEquals("0/-", profiler.last(me));
        }
        early.end();
    }

    @Test
    void aRequestThatIsNotSampledIsLinkedToNothingAndCostsTheProfilerNoCall() throws Exception {
        // As most requests at full load under --trace-rate-limit: the server span records nothing,
        // the work hops from the I/O thread to a worker with a child span that records nothing either.
        try (SdkTracerProvider unsampling = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff())
                .addSpanProcessor(new ProfileLinkingSpanProcessor()).build()) {
            Tracer untraced = unsampling.get("test");
            Span request = untraced.spanBuilder("GET /helloworld").startSpan();
            Thread[] threads = new Thread[2];
            io.submit(() -> {
                threads[0] = Thread.currentThread();
                try (Scope ignored = request.makeCurrent()) {
                    workers.submit(Context.current().wrap(() -> {
                        threads[1] = Thread.currentThread();
                        Span handle = untraced.spanBuilder("handle/hello_world").startSpan();
                        try (Scope alsoIgnored = handle.makeCurrent()) {
                            Thread.onSpinWait();
                        } finally {
                            handle.end();
                        }
                    })).get();
                }
                return null;
            }).get();
            request.end();

            for (Thread thread : threads) {
                assertEquals(List.of(), profiler.calls(thread), "calls on " + thread.getName() + " for a request not sampled");
            }
        }
    }

    @Test
    void anUnsampledContextInsideASampledOneIsNoRequestsAndTheOuterTagComesBack() {
        Thread me = Thread.currentThread();
        Span outer = tracer.spanBuilder("outer").startSpan();
        Span unsampled = Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getDefault(), TraceState.getDefault()));
        String outerTag = RecordingProfiler.id(outer.getSpanContext().getSpanId()) + "/outer";
        try (Scope o = outer.makeCurrent()) {
            try (Scope u = unsampled.makeCurrent()) {
                assertEquals("0/-", profiler.last(me), "tag inside the unsampled context");
            }
            assertEquals(outerTag, profiler.last(me), "tag once the unsampled context's scope closed");
        }
        outer.end();
        assertEquals(List.of(outerTag, "0/-", outerTag, "0/-"), profiler.calls(me));
    }

    @Test
    void leavesNoTagAndKeepsNoSpanOnceTheRequestsAreOver() throws Exception {
        List<Future<Future<?>>> requests = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Span request = tracer.spanBuilder("GET /helloworld").startSpan();
            Context context = Context.root().with(request);
            requests.add(io.submit(() -> {
                try (Scope ignored = context.makeCurrent()) {
                    return workers.submit(context.wrap(() -> {
                        Span child = tracer.spanBuilder("do_something").startSpan();
                        try (Scope alsoIgnored = child.makeCurrent()) {
                            Thread.onSpinWait();
                        } finally {
                            child.end();
                        }
                        request.end();
                    }));
                }
            }));
        }
        for (Future<Future<?>> request : requests) {
            request.get().get();
        }

        Map<Thread, List<String>> calls = profiler.all();
        assertTrue(calls.size() >= 2, "io and at least one worker were tagged: " + calls.keySet());
        calls.forEach((thread, told) -> assertEquals("0/-", told.get(told.size() - 1),
                thread.getName() + " was left tagged; its last calls: " + told.subList(Math.max(0, told.size() - 4), told.size())));
        assertEquals(0, LocalRoots.PROCESS.size(), "spans still recorded after all 2000 requests ended");
    }

    @Test
    void doesNothingWhileNoProfilerRuns() {
        ActiveProfiler.clear();
        Span request = tracer.spanBuilder("GET /helloworld").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertEquals(List.of(), profiler.calls(Thread.currentThread()));
        }
        request.end();
        assertEquals(Map.of(), profiler.all());
    }
}
