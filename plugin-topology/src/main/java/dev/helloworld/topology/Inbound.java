package dev.helloworld.topology;

import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * How a role's server shapes the requests it serves, by how the {@link Shop} reaches it: the
 * server span's name and attributes, what its status means, and what the conventions measure.
 */
interface Inbound {

    /** The path the role serves. */
    String path();

    /** The server span of {@code exchange}, a child of {@code parent}, started. */
    Span start(Context parent, HttpExchange exchange, int port);

    /**
     * Ends {@code span}, begun at {@code startNanos}, as answered with the HTTP {@code status}, and
     * sets what the answer carries besides it.
     */
    void end(Span span, long startNanos, int status, HttpExchange exchange);
}
