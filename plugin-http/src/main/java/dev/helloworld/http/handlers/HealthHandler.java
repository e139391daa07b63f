package dev.helloworld.http.handlers;

import dev.helloworld.core.spi.HostState;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Answers the probes before anything else sees the request, so that they are never traced,
 * counted or made to wait behind work: {@code /healthz} (the process serves HTTP) and
 * {@code /readyz} (every enabled service has started and none is stopping). Other paths go to
 * {@code next}.
 */
public final class HealthHandler implements HttpHandler {

    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";

    private final Supplier<HostState> hostState;
    private final HttpHandler next;

    public HealthHandler(Supplier<HostState> hostState, HttpHandler next) {
        this.hostState = hostState;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        switch (exchange.getRelativePath()) {
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
