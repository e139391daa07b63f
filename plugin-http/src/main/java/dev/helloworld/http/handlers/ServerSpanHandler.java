package dev.helloworld.http.handlers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
import io.undertow.server.HttpHandler;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Wraps {@code next} in an HTTP server span that follows the stable HTTP semantic conventions and
 * continues the trace context of the incoming request (whatever propagators the
 * {@link OpenTelemetry} has, W3C {@code traceparent} with the SDK's defaults).
 *
 * <p>Undertow has no OpenTelemetry library instrumentation; this is the small part of one that a
 * service needs. It knows nothing about routes: when a {@link io.undertow.server.RoutingHandler}
 * below it matched a template, that template becomes {@code http.route} and the span name.
 *
 * <p>The span is current while {@code next} runs, and also on the worker thread when {@code next}
 * dispatches (as {@link io.undertow.server.handlers.BlockingHandler} does): the exchange's dispatch
 * executor is wrapped to carry the span's context. It ends when the exchange completes, with the
 * response status; a 5xx marks it as an error, and the exception of a handler that threw is
 * recorded on it.
 */
public final class ServerSpanHandler implements HttpHandler {

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.http.undertow";

    private static final Set<String> KNOWN_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final HttpHandler next;

    public ServerSpanHandler(OpenTelemetry openTelemetry, HttpHandler next) {
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.next = next;
    }

    @Override
    @SuppressWarnings("try") // the scope is used for its side effect: the span is current inside
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // A request starts a trace or continues the caller's; never whatever this thread had.
        Context parent = propagator.extract(Context.root(), exchange, RequestHeaders.INSTANCE);
        Span span = startSpan(exchange, parent);
        Context context = parent.with(span);
        exchange.setDispatchExecutor(context.wrap(dispatchExecutor(exchange)));
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                end(span, done);
            } finally {
                nextListener.proceed();
            }
        });
        try (Scope ignored = context.makeCurrent()) {
            next.handleRequest(exchange);
        }
        nameAfterRoute(span, exchange);
    }

    /**
     * Names the span after the route that the routing handler below has just matched, as soon as
     * it is known rather than only at the end: Undertow runs a task dispatched to a worker only
     * once this handler has returned, so the work there already belongs to {@code GET /helloworld},
     * which is the name that profiles label its samples with. {@link #end} names it again, for a
     * route matched later on another thread.
     */
    private static void nameAfterRoute(Span span, HttpServerExchange exchange) {
        PathTemplateMatch route = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        if (route != null && span.isRecording()) {
            span.setAttribute(HttpAttributes.HTTP_ROUTE, route.getMatchedTemplate());
            span.updateName(exchange.getRequestMethod() + " " + route.getMatchedTemplate());
        }
    }

    private Span startSpan(HttpServerExchange exchange, Context parent) {
        String method = exchange.getRequestMethod().toString();
        boolean known = KNOWN_METHODS.contains(method);
        SpanBuilder span = tracer.spanBuilder(known ? method : "HTTP")
                .setSpanKind(SpanKind.SERVER)
                .setParent(parent)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, known ? method : "_OTHER")
                .setAttribute(UrlAttributes.URL_PATH, exchange.getRequestPath())
                .setAttribute(UrlAttributes.URL_SCHEME, exchange.getRequestScheme())
                .setAttribute(ServerAttributes.SERVER_ADDRESS, exchange.getHostName())
                .setAttribute(ServerAttributes.SERVER_PORT, (long) exchange.getHostPort())
                .setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, protocolVersion(exchange.getProtocol()));
        if (!known) {
            span.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
        }
        if (!exchange.getQueryString().isEmpty()) {
            span.setAttribute(UrlAttributes.URL_QUERY, exchange.getQueryString());
        }
        String userAgent = exchange.getRequestHeaders().getFirst(Headers.USER_AGENT);
        if (userAgent != null) {
            span.setAttribute(UserAgentAttributes.USER_AGENT_ORIGINAL, userAgent);
        }
        InetSocketAddress peer = exchange.getSourceAddress();
        if (peer != null && peer.getAddress() != null) {
            String peerAddress = peer.getAddress().getHostAddress();
            span.setAttribute(NetworkAttributes.NETWORK_PEER_ADDRESS, peerAddress);
            span.setAttribute(NetworkAttributes.NETWORK_PEER_PORT, (long) peer.getPort());
            span.setAttribute(ClientAttributes.CLIENT_ADDRESS, clientAddress(exchange, peerAddress));
        }
        return span.startSpan();
    }

    private static void end(Span span, HttpServerExchange exchange) {
        if (!span.isRecording()) {
            // Over the trace rate limit: nothing below would be kept, so nothing is worked out.
            span.end();
            return;
        }
        int status = exchange.getStatusCode();
        span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
        PathTemplateMatch route = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        if (route != null) {
            span.setAttribute(HttpAttributes.HTTP_ROUTE, route.getMatchedTemplate());
            span.updateName(exchange.getRequestMethod() + " " + route.getMatchedTemplate());
        }
        // Undertow answers 500 for a handler that threw, here or on a worker thread, and keeps the cause.
        Throwable failure = exchange.getAttachment(DefaultResponseListener.EXCEPTION);
        if (failure != null) {
            span.recordException(failure);
        }
        // For a server, only 5xx is its own failure; a 4xx is the client's.
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(ErrorAttributes.ERROR_TYPE,
                    failure != null ? failure.getClass().getName() : Integer.toString(status));
        }
        span.end();
    }

    private static Executor dispatchExecutor(HttpServerExchange exchange) {
        Executor executor = exchange.getDispatchExecutor();
        return executor != null ? executor : exchange.getConnection().getWorker();
    }

    /** The original client behind proxies, as the first X-Forwarded-For entry says, else the peer. */
    private static String clientAddress(HttpServerExchange exchange, String peerAddress) {
        String forwarded = exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_FOR);
        if (forwarded == null || forwarded.isBlank()) {
            return peerAddress;
        }
        int comma = forwarded.indexOf(',');
        return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
    }

    /** {@code HTTP/1.1} is {@code 1.1}, {@code HTTP/2.0} is {@code 2}, as the conventions write them. */
    private static String protocolVersion(HttpString protocol) {
        String text = protocol.toString();
        String version = text.startsWith("HTTP/") ? text.substring(5) : text;
        return version.equals("2.0") ? "2" : version;
    }

    /** Reads propagation headers from the request. */
    private enum RequestHeaders implements TextMapGetter<HttpServerExchange> {
        INSTANCE;

        @Override
        public String get(HttpServerExchange exchange, String key) {
            return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
        }

        /** Every value of a repeated header, such as several {@code baggage} lines. */
        @Override
        public Iterator<String> getAll(HttpServerExchange exchange, String key) {
            HeaderValues values = exchange == null ? null : exchange.getRequestHeaders().get(key);
            return values == null ? Collections.emptyIterator() : values.iterator();
        }
    }
}
