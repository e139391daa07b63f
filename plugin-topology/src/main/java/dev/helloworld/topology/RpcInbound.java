package dev.helloworld.topology;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;

/**
 * A role reached over RPC ({@link Rpc}): {@code POST /<rpc.method>}, a server span named after the
 * method, its gRPC status in the answer's {@code grpc-status}, and {@code rpc.server.call.duration}.
 */
final class RpcInbound implements Inbound {

    private final String method;
    private final Tracer tracer;
    private final DoubleHistogram duration;

    RpcInbound(String role, OpenTelemetry openTelemetry, String scope) {
        this.method = Rpc.method(role);
        this.tracer = openTelemetry.getTracer(scope);
        this.duration = openTelemetry.getMeter(scope).histogramBuilder("rpc.server.call.duration")
                .setUnit("s")
                .setDescription("Measures the duration of an incoming Remote Procedure Call (RPC).")
                .setExplicitBucketBoundariesAdvice(Seconds.BUCKETS)
                .build();
    }

    @Override
    public String path() {
        return "/" + method;
    }

    @Override
    public Span start(Context parent, HttpExchange exchange, int port) {
        return tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(Rpc.SYSTEM_NAME, Rpc.SYSTEM)
                .setAttribute(Rpc.METHOD, method)
                .setAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
                .setAttribute(ServerAttributes.SERVER_PORT, (long) port)
                .startSpan();
    }

    @Override
    public void end(Span span, long startNanos, int status, HttpExchange exchange) {
        int code = status == 200 ? Rpc.OK : Rpc.INTERNAL;
        String name = Rpc.statusName(code);
        // The server metric's attributes: server.address and server.port are opt-in there.
        AttributesBuilder attributes = Attributes.builder()
                .put(Rpc.SYSTEM_NAME, Rpc.SYSTEM)
                .put(Rpc.METHOD, method)
                .put(Rpc.RESPONSE_STATUS_CODE, name);
        if (code != Rpc.OK) {
            span.setStatus(StatusCode.ERROR);
            attributes.put(ErrorAttributes.ERROR_TYPE, name);
        }
        Attributes measured = attributes.build();
        span.setAllAttributes(measured);
        span.end();
        duration.record(Seconds.since(startNanos), measured);
        exchange.getResponseHeaders().set(Rpc.STATUS_HEADER, Integer.toString(code));
    }
}
