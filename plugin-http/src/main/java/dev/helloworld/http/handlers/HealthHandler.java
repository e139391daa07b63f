package dev.helloworld.http.handlers;

import dev.helloworld.core.spi.HostState;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Answers the probes before anything else sees the request, so that they are never traced,
 * counted or made to wait behind work: {@code /healthz} (the process serves HTTP) and
 * {@code /readyz} (every enabled service has started and none is stopping). They answer GET and
 * HEAD (the same without the body), and 405 with {@code Allow} to anything else: a probe changes
 * nothing, so nothing but a read should succeed. Other paths go to {@code next}.
 */
public final class HealthHandler implements HttpHandler {

    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";
    /** The methods the probes answer, as the Allow header of a 405 lists them. */
    public static final String ALLOWED_METHODS = Methods.GET_STRING + ", " + Methods.HEAD_STRING;

    private final Supplier<HostState> hostState;
    private final HttpHandler next;

    public HealthHandler(Supplier<HostState> hostState, HttpHandler next) {
        this.hostState = hostState;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRelativePath();
        boolean probe = path.equals(LIVENESS_PATH) || path.equals(READINESS_PATH);
        if (probe && !Methods.GET.equals(exchange.getRequestMethod()) && !Methods.HEAD.equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().put(Headers.ALLOW, ALLOWED_METHODS);
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            return;
        }
        switch (path) {
            case LIVENESS_PATH -> respond(exchange, StatusCodes.OK, "ok");
            case READINESS_PATH -> {
                HostState state = hostState.get();
                boolean ready = state == HostState.RUNNING;
                respond(exchange, ready ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                        ready ? "ready" : state.name().toLowerCase(Locale.ROOT));
            }
            default -> next.handleRequest(exchange);
        }
    }

    private static void respond(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }
}
