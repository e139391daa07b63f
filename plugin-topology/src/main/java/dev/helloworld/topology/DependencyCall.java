package dev.helloworld.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A logical service's calls to its simulated dependencies: a client span shaped as the database
 * conventions define it, and {@code db.client.operation.duration}, the metric they name.
 */
final class DependencyCall {

    /** The conventions' advised buckets for db.client.operation.duration, in seconds. */
    private static final List<Double> BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

    private final Tracer tracer;
    private final DoubleHistogram duration;
    private final WorkHooks hooks;

    DependencyCall(OpenTelemetry openTelemetry, String scope, WorkHooks hooks) {
        this.hooks = hooks;
        this.tracer = openTelemetry.getTracer(scope);
        this.duration = openTelemetry.getMeter(scope).histogramBuilder("db.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of database client operations.")
                .setExplicitBucketBoundariesAdvice(BUCKETS)
                .build();
    }

    /**
     * Calls {@code dependency} as a child of the current span.
     *
     * @throws DependencyFailure when an incident aimed at it fails the call: the client span's
     *                           status is ERROR with {@code error.type}, and so is the metric's
     */
    @SuppressWarnings("try") // the scope makes the client span the one an incident acts in
    void call(Dependency dependency) throws DependencyFailure {
        Attributes attributes = attributes(dependency);
        long start = System.nanoTime();
        Span span = tracer.spanBuilder(dependency.spanName()).setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(attributes)
                .setAttribute(DbAttributes.DB_QUERY_TEXT, dependency.query())
                .startSpan();
        Attributes recorded = attributes;
        try (Scope ignored = span.makeCurrent()) {
            Optional<RequestFailure> injected = hooks.before(dependency.node());
            if (injected.isPresent()) {
                span.setStatus(StatusCode.ERROR, injected.get().body());
                span.setAttribute(ErrorAttributes.ERROR_TYPE, DependencyFailure.TYPE);
                recorded = attributes.toBuilder().put(ErrorAttributes.ERROR_TYPE, DependencyFailure.TYPE).build();
                throw new DependencyFailure(dependency.node(), injected.get().body());
            }
            // The simulated round trip: parked, not busy, so that the topology costs no CPU of its own.
            LockSupport.parkNanos(dependency.takes().toNanos());
        } finally {
            span.end();
            duration.record((System.nanoTime() - start) / 1e9, recorded);
        }
    }

    /** What both the span and the metric carry (the query text, unbounded in a real system, only the span). */
    static Attributes attributes(Dependency dependency) {
        AttributesBuilder attributes = Attributes.builder()
                .put(DbAttributes.DB_SYSTEM_NAME, dependency.system())
                .put(DbAttributes.DB_OPERATION_NAME, dependency.operation())
                .put(ServerAttributes.SERVER_ADDRESS, dependency.host())
                .put(ServerAttributes.SERVER_PORT, dependency.port());
        dependency.namespace().ifPresent(namespace -> attributes.put(DbAttributes.DB_NAMESPACE, namespace));
        dependency.collection().ifPresent(collection -> attributes.put(DbAttributes.DB_COLLECTION_NAME, collection));
        return attributes.build();
    }
}
