package dev.helloworld.otlp.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The heap a full retry buffer really holds, against its bound: the service's own kind of spans
 * (a server span with its HTTP attributes, the handler span, one child with attributes, one with
 * two events) and log records, made by the real SDK, kept in a {@link RetryBuffer} of 8 MiB (the
 * image's auto bound) until it discards, then measured as the heap used after a full collection
 * with and without the buffer. BENCHMARKS.md quotes the figures this prints.
 */
class RetryBufferHeapTest {

    private static final long BOUND = 8L << 20;
    private static final int BATCH = 1024;

    @Test
    void aFullBufferOfSpansHoldsAboutItsBoundInHeap() {
        measure("spans", this::spans, HeapSize::of);
    }

    @Test
    void aFullBufferOfLogRecordsHoldsAboutItsBoundInHeap() {
        measure("log records", this::logRecords, HeapSize::of);
    }

    private <T> void measure(String kind, Consumer<List<T>> make, java.util.function.ToLongFunction<T> size) {
        long before = usedAfterGc();
        RetryBuffer<T> buffer = new RetryBuffer<>(BOUND);
        long made = 0;
        while (true) {
            List<T> batch = new ArrayList<>(BATCH);
            while (batch.size() < BATCH) {
                make.accept(batch);
            }
            made += batch.size();
            if (!buffer.add(new RetryBuffer.Batch<>(List.copyOf(batch), HeapSize.of(batch, size))).isEmpty()) {
                break;
            }
        }
        long held = usedAfterGc() - before;
        double ratio = (double) held / buffer.bytes();
        System.out.printf("[RetryBufferHeapTest] %s: bound %d KiB, estimated %d KiB for %d items (%d B each),"
                + " heap held %d KiB (%.2f of the estimate); %d made%n", kind, BOUND >> 10, buffer.bytes() >> 10,
                buffer.items(), buffer.bytes() / buffer.items(), held >> 10, ratio, made);
        // The buffer stays reachable until measured.
        assertTrue(buffer.items() > 0);
        assertTrue(held <= BOUND, kind + ": a full buffer holds at most its bound in heap, held " + held);
        assertTrue(ratio > 0.6, kind + ": the estimate errs on the high side, but not by more than 40 %: "
                + String.format("%.2f", ratio));
    }

    /** One request's four spans, as plugin-http makes them. */
    private void spans(List<SpanData> into) {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(collecting(ended))).build()) {
            Tracer tracer = provider.get("dev.helloworld.http");
            for (int i = 0; i < 64; i++) {
                Span server = tracer.spanBuilder("GET /helloworld").setAttribute("http.request.method", "GET")
                        .setAttribute("url.path", "/helloworld").setAttribute("url.scheme", "http")
                        .setAttribute("server.address", "127.0.0.1").setAttribute("server.port", 8080L)
                        .setAttribute("network.protocol.version", "1.1").setAttribute("user_agent.original", "wrk")
                        .setAttribute("network.peer.address", "127.0.0.1").setAttribute("network.peer.port", 40000L + i)
                        .setAttribute("client.address", "127.0.0.1").startSpan();
                try (Scope s = server.makeCurrent()) {
                    Span handle = tracer.spanBuilder("handle/hello_world").startSpan();
                    try (Scope h = handle.makeCurrent()) {
                        tracer.spanBuilder("custom_span_demo/do_something").setAttribute("helloworld.kind", 1L)
                                .setAttribute("helloworld.step", "traces_custom_span_demo").startSpan().end();
                        Span events = tracer.spanBuilder("span_event_demo/do_something").startSpan();
                        events.addEvent("Before do_something", Attributes.of(AttributeKey.stringKey("helloworld.step"), "x"));
                        events.addEvent("After do_something", Attributes.of(AttributeKey.stringKey("helloworld.step"), "x"));
                        events.end();
                    } finally {
                        handle.end();
                    }
                } finally {
                    server.setAttribute("http.response.status_code", 200L).setAttribute("http.route", "/helloworld");
                    server.end();
                }
            }
        }
        into.addAll(ended.subList(0, Math.min(ended.size(), BATCH - into.size())));
    }

    /** The log records of a request: "get country -> Canada" and its like, inside a span. */
    private void logRecords(List<LogRecordData> into) {
        List<LogRecordData> emitted = new ArrayList<>();
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(collectingLogs(emitted))).build();
                SdkTracerProvider tracing = SdkTracerProvider.builder().build()) {
            Span span = tracing.get("t").spanBuilder("handle/hello_world").startSpan();
            try (Scope s = span.makeCurrent()) {
                for (int i = 0; i < 64; i++) {
                    provider.get("otel").logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO")
                            .setBody("get country -> Canada " + i).setAttribute(AttributeKey.stringKey("code.function"),
                                    "dev.helloworld.http.HelloWorldHandler.handle").emit();
                }
            } finally {
                span.end();
            }
        }
        into.addAll(emitted.subList(0, Math.min(emitted.size(), BATCH - into.size())));
    }

    private static SpanExporter collecting(List<SpanData> into) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                into.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }

    private static LogRecordExporter collectingLogs(List<LogRecordData> into) {
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> records) {
                into.addAll(records);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
