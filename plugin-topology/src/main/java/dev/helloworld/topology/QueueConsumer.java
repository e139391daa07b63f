package dev.helloworld.topology;

import dev.helloworld.core.spi.ProfileLabels;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ErrorAttributes;
import java.time.Duration;
import java.util.Map;

/**
 * A logical service that consumes the {@link MessageQueue} on a thread of its own. Each message
 * is processed in a consumer span that starts a trace of its own, linked to the producer's span
 * (the conventions' way for work that is not part of the request that sent it): the producer's
 * trace ends when its request does, whatever the queue holds.
 */
final class QueueConsumer {

    private static final Duration POLL = Duration.ofMillis(100);

    private final MessageQueue queue;
    private final String role;
    private final String serviceName;
    private final WorkHooks hooks;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Thread thread;
    private final Attributes measured;
    private final LongCounter consumed;
    private final DoubleHistogram processing;
    private final RoleLog log;
    private volatile boolean running = true;

    QueueConsumer(String role, String serviceName, MessageQueue queue, OpenTelemetry openTelemetry, String scope,
            WorkHooks hooks) {
        this.queue = queue;
        this.role = role;
        this.serviceName = serviceName;
        this.hooks = hooks;
        this.tracer = openTelemetry.getTracer(scope);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.log = new RoleLog(openTelemetry, scope);
        // The consumer's metrics of the messaging conventions (1.43, development): a message is
        // delivered to the application when it is processed, as nothing instruments a receive.
        var meter = openTelemetry.getMeter(scope);
        this.consumed = meter.counterBuilder("messaging.client.consumed.messages").setUnit("{message}")
                .setDescription("Number of messages that were delivered to the application.").build();
        this.processing = meter.histogramBuilder("messaging.process.duration").setUnit("s")
                .setDescription("Duration of processing operation.")
                .setExplicitBucketBoundariesAdvice(Seconds.BUCKETS)
                .build();
        this.measured = MessageQueue.metricAttributes("process", true).toBuilder()
                .put(MessageQueue.CONSUMER_GROUP, role).build();
        this.thread = new Thread(this::consume, "topology-" + role);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops polling, then processes what is left, so that every message sent has its consumer span. */
    void stop(Duration wait) throws InterruptedException {
        running = false;
        thread.join(wait.toMillis());
        for (var message = queue.next(); message.isPresent(); message = queue.next()) {
            process(message.get());
        }
    }

    private void consume() {
        try {
            while (running) {
                queue.next(POLL).ifPresent(this::process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("try") // the scope makes the consumer span the one an incident acts in
    private void process(MessageQueue.Message message) {
        long start = System.nanoTime();
        SpanContext producer = Span.fromContext(propagator.extract(Context.root(), message.headers(), HEADERS))
                .getSpanContext();
        Span span = tracer.spanBuilder("process " + MessageQueue.DESTINATION).setSpanKind(SpanKind.CONSUMER)
                .setNoParent()
                .addLink(producer)
                .setAllAttributes(MessageQueue.attributes("process", "process"))
                .setAttribute(MessageQueue.CONSUMER_GROUP, measured.get(MessageQueue.CONSUMER_GROUP))
                .startSpan();
        try (ProfileLabels.Labelled label = hooks.label(serviceName); Scope ignored = span.makeCurrent()) {
            // An incident aimed at this role: delayed or failed processing, in the consumer span.
            hooks.before(role).ifPresentOrElse(failure -> {
                span.setStatus(StatusCode.ERROR, failure.body());
                span.setAttribute(ErrorAttributes.ERROR_TYPE, String.valueOf(failure.status()));
                log.error(span, "notification failed by an incident aimed at " + role);
            }, () -> log.info(span, "notification sent for an order"));
        } finally {
            span.end();
            consumed.add(1, measured);
            processing.record(Seconds.since(start), measured);
        }
    }

    private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> headers) {
            return headers.keySet();
        }

        @Override
        public String get(Map<String, String> headers, String key) {
            return headers == null ? null : headers.get(key);
        }
    };
}
