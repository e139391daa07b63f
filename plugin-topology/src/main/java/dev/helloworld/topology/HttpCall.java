package dev.helloworld.topology;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

/**
 * One logical service's HTTP client: {@code GET} to another's route, in a client span with the
 * conventions' attributes, the trace context injected as W3C {@code traceparent}. The JDK's
 * {@link HttpURLConnection}, which keeps connections alive and needs no module beyond java.base.
 */
final class HttpCall {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    HttpCall(OpenTelemetry openTelemetry, String scope) {
        this.tracer = openTelemetry.getTracer(scope);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Calls {@code url} as a child of the current span; the status code, or an exception for no answer. */
    @SuppressWarnings("try") // the scope makes the client span the one injected
    int get(URI url) throws IOException {
        Span span = tracer.spanBuilder("GET").setSpanKind(SpanKind.CLIENT)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
                .setAttribute(UrlAttributes.URL_FULL, url.toString())
                .setAttribute(ServerAttributes.SERVER_ADDRESS, url.getHost())
                .setAttribute(ServerAttributes.SERVER_PORT, (long) url.getPort())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            propagator.inject(Context.current(), connection, HttpURLConnection::setRequestProperty);
            int status = connection.getResponseCode();
            // Read to the end, so that the connection goes back to the keep-alive cache.
            try (InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            if (status >= 400) {
                span.setStatus(StatusCode.ERROR);
                span.setAttribute(ErrorAttributes.ERROR_TYPE, String.valueOf(status));
            }
            return status;
        } catch (IOException | RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            span.setAttribute(ErrorAttributes.ERROR_TYPE, e.getClass().getName());
            throw e;
        } finally {
            span.end();
        }
    }
}
