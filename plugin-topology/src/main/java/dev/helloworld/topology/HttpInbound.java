package dev.helloworld.topology;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;

/** A role reached over HTTP: {@code GET /<role>}, a server span as the HTTP conventions shape it. */
final class HttpInbound implements Inbound {

    private final String route;
    private final Tracer tracer;

    HttpInbound(String role, Tracer tracer) {
        this.route = "/" + role;
        this.tracer = tracer;
    }

    @Override
    public String path() {
        return route;
    }

    @Override
    public Span start(Context parent, HttpExchange exchange, int port) {
        return tracer.spanBuilder("GET " + route).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, exchange.getRequestMethod())
                .setAttribute(HttpAttributes.HTTP_ROUTE, route)
                .setAttribute(UrlAttributes.URL_PATH, exchange.getRequestURI().getPath())
                .setAttribute(UrlAttributes.URL_SCHEME, "http")
                .setAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
                .setAttribute(ServerAttributes.SERVER_PORT, (long) port)
                .startSpan();
    }

    @Override
    public void end(Span span, long startNanos, int status, HttpExchange exchange) {
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
        span.end();
    }
}
