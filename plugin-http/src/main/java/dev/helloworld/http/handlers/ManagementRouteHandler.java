package dev.helloworld.http.handlers;

import dev.helloworld.core.spi.ManagementRoute;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves a plugin's {@link ManagementRoute} on the management listener: its path and everything
 * under it go to the route, on a worker thread; other paths go to {@code next}.
 */
public final class ManagementRouteHandler implements HttpHandler {

    private final ManagementRoute route;
    private final HttpHandler next;

    public ManagementRouteHandler(ManagementRoute route, HttpHandler next) {
        this.route = route;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        if (!path.equals(route.path()) && !path.startsWith(route.path() + "/")) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, Deque<String>> parameter : exchange.getQueryParameters().entrySet()) {
            query.put(parameter.getKey(), parameter.getValue().isEmpty() ? "" : parameter.getValue().getFirst());
        }
        ManagementRoute.Response response = route.handle(
                new ManagementRoute.Request(exchange.getRequestMethod().toString(), path, query));
        exchange.setStatusCode(response.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, response.contentType());
        exchange.getResponseSender().send(response.body());
    }
}
