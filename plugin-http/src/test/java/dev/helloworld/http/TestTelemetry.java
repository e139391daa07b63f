package dev.helloworld.http;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** A real SDK that keeps spans and metrics in memory, with the W3C propagator. */
final class TestTelemetry implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final OpenTelemetrySdk sdk;

    TestTelemetry() {
        this(Sampler.parentBased(Sampler.alwaysOn()));
    }

    /** With {@code sampler} deciding which traces are recorded. */
    TestTelemetry(Sampler sampler) {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    /** Waits until the ended spans satisfy {@code condition}; fails listing what ended. */
    List<SpanData> awaitSpans(Predicate<List<SpanData>> condition, String expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<SpanData> ended = spans.getFinishedSpanItems();
        while (!condition.test(ended)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + expected + " within 10s; ended spans: "
                        + ended.stream().map(s -> s.getName() + "/" + s.getSpanId()).toList());
            }
            Thread.onSpinWait();
            ended = spans.getFinishedSpanItems();
        }
        return ended;
    }

    Collection<MetricData> collectMetrics() {
        return metrics.collectAllMetrics();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
