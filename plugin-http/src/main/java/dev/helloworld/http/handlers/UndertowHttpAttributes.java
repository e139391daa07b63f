package dev.helloworld.http.handlers;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * What OpenTelemetry's HTTP server instrumentation reads from an Undertow exchange: the exchange is
 * both the request and the response. Everything else (which attribute, which method is known,
 * forwarded headers, redacting {@code url.query}, span name and status) is the library's.
 */
enum UndertowHttpAttributes implements HttpServerAttributesGetter<HttpServerExchange, HttpServerExchange>,
        TextMapGetter<HttpServerExchange> {
    INSTANCE;

    @Override
    public String getHttpRequestMethod(HttpServerExchange exchange) {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String getUrlScheme(HttpServerExchange exchange) {
        return exchange.getRequestScheme();
    }

    @Override
    public String getUrlPath(HttpServerExchange exchange) {
        return exchange.getRequestPath();
    }

    @Override
    public String getUrlQuery(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        return query.isEmpty() ? null : query;
    }

    /** The template a {@link io.undertow.server.RoutingHandler} matched, once it has. */
    @Override
    public String getHttpRoute(HttpServerExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        return match == null ? null : match.getMatchedTemplate();
    }

    @Override
    public List<String> getHttpRequestHeader(HttpServerExchange exchange, String name) {
        return values(exchange.getRequestHeaders(), name);
    }

    @Override
    public Integer getHttpResponseStatusCode(HttpServerExchange exchange, HttpServerExchange response, Throwable error) {
        return exchange.getStatusCode();
    }

    @Override
    public List<String> getHttpResponseHeader(HttpServerExchange exchange, HttpServerExchange response, String name) {
        return values(exchange.getResponseHeaders(), name);
    }

    @Override
    public String getNetworkProtocolName(HttpServerExchange exchange, HttpServerExchange response) {
        return "http";
    }

    /** {@code HTTP/1.1} is {@code 1.1}, {@code HTTP/2.0} is {@code 2}, as the conventions write them. */
    @Override
    public String getNetworkProtocolVersion(HttpServerExchange exchange, HttpServerExchange response) {
        HttpString protocol = exchange.getProtocol();
        String text = protocol.toString();
        String version = text.startsWith("HTTP/") ? text.substring(5) : text;
        return version.equals("2.0") ? "2" : version;
    }

    @Override
    public InetSocketAddress getNetworkPeerInetSocketAddress(HttpServerExchange exchange, HttpServerExchange response) {
        return exchange.getSourceAddress();
    }

    @Override
    public InetSocketAddress getNetworkLocalInetSocketAddress(HttpServerExchange exchange, HttpServerExchange response) {
        return exchange.getDestinationAddress();
    }

    // ---- propagation: the incoming trace context ----

    @Override
    public Iterable<String> keys(HttpServerExchange exchange) {
        return exchange.getRequestHeaders().getHeaderNames().stream().map(HttpString::toString).toList();
    }

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

    private static List<String> values(HeaderMap headers, String name) {
        HeaderValues values = headers.get(name);
        return values == null ? List.of() : values;
    }
}
