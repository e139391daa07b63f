package dev.helloworld.http.handlers;

import dev.helloworld.core.spi.RequestHook;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Optional;

/**
 * Runs a plugin's {@link RequestHook} before {@code next}, and answers its failure instead of
 * {@code next} when it returns one. Sits on the worker thread inside the server span, so a delay
 * or CPU the hook spends belongs to the request, and a failure is a 500 the server span and the
 * HTTP metrics record as any other. It knows nothing of what the hook does.
 */
public final class RequestHookHandler implements HttpHandler {

    private final RequestHook hook;
    private final HttpHandler next;

    private RequestHookHandler(RequestHook hook, HttpHandler next) {
        this.hook = hook;
        this.next = next;
    }

    /** {@code next} behind the hook, or {@code next} itself when no plugin published one: no cost then. */
    public static HttpHandler around(Optional<RequestHook> hook, HttpHandler next) {
        return hook.<HttpHandler>map(h -> new RequestHookHandler(h, next)).orElse(next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<RequestFailure> failure = hook.beforeRequest(exchange.getRequestMethod().toString(),
                exchange.getRequestPath());
        if (failure.isPresent()) {
            exchange.setStatusCode(failure.get().status());
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send(failure.get().body());
            return;
        }
        next.handleRequest(exchange);
    }
}
