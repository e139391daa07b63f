package dev.helloworld.http;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import dev.helloworld.http.handlers.HealthHandler;
import dev.helloworld.http.handlers.ServerSpanHandler;
import io.opentelemetry.api.OpenTelemetry;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The helloworld HTTP server: {@code GET /helloworld} with full telemetry, {@code /healthz} and
 * {@code /readyz}, on Undertow.
 *
 * <p>The handler chain, outermost first: graceful shutdown (in {@link Server}: counts requests in
 * flight), health probes (untraced), the server span, routing, then {@link BlockingHandler} so
 * that the CPU work runs on worker threads and requests are served concurrently.
 */
public final class HttpService implements Service {

    static final String HELLO_WORLD_PATH = "/helloworld";

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.http";

    private System.Logger log;
    private Duration drainTimeout;
    private Server server;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public int priority() {
        return Priority.SERVER;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return HttpKeys.ALL;
    }

    @Override
    public void start(ServiceContext context) throws Exception {
        Config config = context.config();
        log = context.logger();
        // A quarter of the shutdown budget, which the host counts for all services together: most
        // of the rest is for the exporter, which stops after us, to flush our last spans.
        drainTimeout = config.get(Keys.SHUTDOWN_TIMEOUT).dividedBy(4);
        OpenTelemetry openTelemetry = context.lookup(OpenTelemetry.class).orElse(OpenTelemetry.noop());

        DemoMetrics metrics = new DemoMetrics(openTelemetry.getMeter(INSTRUMENTATION_SCOPE));
        HelloWorldHandler helloWorld = new HelloWorldHandler(openTelemetry.getTracer(INSTRUMENTATION_SCOPE),
                metrics, new CpuWork(config.get(HttpKeys.WORK_SCALE)), config.get(HttpKeys.ERROR_RATE));
        HttpHandler routes = Handlers.routing()
                .get(HELLO_WORLD_PATH, new BlockingHandler(helloWorld))
                .setFallbackHandler(ResponseCodeHandler.HANDLE_404)
                .setInvalidMethodHandler(HttpService::onlyGet);
        HttpHandler root = new HealthHandler(context::hostState, new ServerSpanHandler(openTelemetry, routes));

        String host = config.get(Keys.HTTP_ADDRESS);
        int port = config.get(Keys.HTTP_PORT);
        server = Server.start(host, port, root);
        InetSocketAddress bound = server.address();
        URI uri = ConnectableAddress.of(host, bound);
        context.publish(HttpServerAddress.class, new HttpServerAddress(uri));
        log.log(Level.INFO, "listening on {0}, try {1}{2}",
                BindFailure.hostAndPort(host, bound.getPort()), uri, HELLO_WORLD_PATH);
    }

    /** 405 with the Allow header that RFC 9110 asks for; GET is the only method served. */
    private static void onlyGet(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.ALLOW, Methods.GET_STRING);
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
    }

    /**
     * Stops accepting connections, answers 503 to new requests on open ones, waits up to a
     * quarter of the shutdown timeout for the requests in flight, then closes everything.
     */
    @Override
    public void stop() throws Exception {
        if (!server.stop(drainTimeout)) {
            log.log(Level.WARNING, "requests still running after {0}; their connections were closed",
                    Durations.format(drainTimeout));
        }
    }
}
