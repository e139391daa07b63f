package dev.helloworld.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * A logical service's producer of the {@link MessageQueue}: a producer span per message, and the
 * producer's metrics of the messaging conventions (1.43, development):
 * {@code messaging.client.sent.messages} and {@code messaging.client.operation.duration}.
 */
final class QueueProducer {

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final LongCounter sent;
    private final DoubleHistogram duration;

    QueueProducer(OpenTelemetry openTelemetry, String scope) {
        this.tracer = openTelemetry.getTracer(scope);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        var meter = openTelemetry.getMeter(scope);
        this.sent = meter.counterBuilder("messaging.client.sent.messages").setUnit("{message}")
                .setDescription("Number of messages producer attempted to send to the broker.").build();
        this.duration = meter.histogramBuilder("messaging.client.operation.duration").setUnit("s")
                .setDescription("Duration of messaging operation initiated by a producer or consumer client.")
                .setExplicitBucketBoundariesAdvice(Seconds.BUCKETS)
                .build();
    }

    /** Sends one message to {@code queue}, a child of the current span. */
    @SuppressWarnings("try") // the scope makes the producer span the context injected
    void send(MessageQueue queue) {
        long start = System.nanoTime();
        Span span = tracer.spanBuilder("send " + MessageQueue.DESTINATION).setSpanKind(SpanKind.PRODUCER)
                .setAllAttributes(MessageQueue.attributes("send", "send")).startSpan();
        boolean accepted;
        try (Scope ignored = span.makeCurrent()) {
            Map<String, String> headers = new HashMap<>();
            propagator.inject(Context.current(), headers, Map::put);
            accepted = queue.offer(new MessageQueue.Message(Map.copyOf(headers)));
            if (!accepted) {
                span.setStatus(StatusCode.ERROR, "queue full");
                span.setAttribute(ErrorAttributes.ERROR_TYPE, MessageQueue.FULL);
            }
        } finally {
            span.end();
        }
        Attributes attributes = MessageQueue.metricAttributes("send", accepted);
        sent.add(1, attributes);
        duration.record(Seconds.since(start), attributes.toBuilder()
                .put(MessageQueue.OPERATION_TYPE, "send").build());
    }
}
