package dev.helloworld.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * One logical service's RPC client: a client span named {@code rpc.method} with the conventions'
 * attributes, and {@code rpc.client.call.duration}, over a real loopback request (see {@link Rpc}).
 */
final class RpcCall {

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final DoubleHistogram duration;

    RpcCall(OpenTelemetry openTelemetry, String scope) {
        this.tracer = openTelemetry.getTracer(scope);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.duration = openTelemetry.getMeter(scope).histogramBuilder("rpc.client.call.duration")
                .setUnit("s")
                .setDescription("Measures the duration of an outgoing Remote Procedure Call (RPC).")
                .setExplicitBucketBoundariesAdvice(Seconds.BUCKETS)
                .build();
    }

    /** Calls the method at {@code url} (its path) as a child of the current span; whether it answered OK. */
    @SuppressWarnings("try") // the scope makes the client span the one injected
    boolean call(URI url) throws IOException {
        String method = url.getPath().substring(1);
        AttributesBuilder attributes = Attributes.builder()
                .put(Rpc.SYSTEM_NAME, Rpc.SYSTEM)
                .put(Rpc.METHOD, method)
                .put(ServerAttributes.SERVER_ADDRESS, url.getHost())
                .put(ServerAttributes.SERVER_PORT, (long) url.getPort());
        long start = System.nanoTime();
        Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT).setAllAttributes(attributes.build())
                .startSpan();
        String status = "UNAVAILABLE";
        try (Scope ignored = span.makeCurrent()) {
            status = Rpc.statusName(send(url));
            if (!status.equals("OK")) {
                span.setStatus(StatusCode.ERROR);
                attributes.put(ErrorAttributes.ERROR_TYPE, status);
            }
            return status.equals("OK");
        } catch (IOException | RuntimeException e) {
            // No status from the server: the client's own, as gRPC generates UNAVAILABLE for a lost connection.
            span.setStatus(StatusCode.ERROR, e.getMessage());
            attributes.put(ErrorAttributes.ERROR_TYPE, e.getClass().getName());
            throw e;
        } finally {
            attributes.put(Rpc.RESPONSE_STATUS_CODE, status);
            Attributes end = attributes.build();
            span.setAllAttributes(end);
            span.end();
            duration.record(Seconds.since(start), end);
        }
    }

    /** The request; the numeric gRPC status the server answered, UNKNOWN without one. */
    private int send(URI url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout((int) HttpCall.TIMEOUT.toMillis());
        connection.setReadTimeout((int) HttpCall.TIMEOUT.toMillis());
        connection.setRequestMethod("POST");
        connection.setFixedLengthStreamingMode(0);
        connection.setDoOutput(true);
        propagator.inject(Context.current(), connection, HttpURLConnection::setRequestProperty);
        connection.getOutputStream().close();
        int http = connection.getResponseCode();
        // Read to the end, so that the connection goes back to the keep-alive cache.
        try (InputStream body = http >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (body != null) {
                body.readAllBytes();
            }
        }
        String grpcStatus = connection.getHeaderField(Rpc.STATUS_HEADER);
        return grpcStatus == null ? 2 : Integer.parseInt(grpcStatus.trim());
    }
}
