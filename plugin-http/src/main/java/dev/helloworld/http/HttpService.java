package dev.helloworld.http;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.BuildVersion;
import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.ManagementRoute;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.RequestHook;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import dev.helloworld.http.handlers.DrainHandler;
import dev.helloworld.http.handlers.HealthHandler;
import dev.helloworld.http.handlers.ManagementRouteHandler;
import dev.helloworld.http.handlers.RequestHookHandler;
import dev.helloworld.http.handlers.ServerSpanHandler;
import io.opentelemetry.api.OpenTelemetry;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
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
 * {@code /readyz}, on Undertow; with {@code --management-port}, the probes on a listener of
 * their own too.
 *
 * <p>The handler chain, outermost first: the drain (counts requests in flight, refuses new ones
 * while stopping), health probes (untraced), the start gate (holds requests until the services
 * started before the server, the profiler among them, are up), the server span, routing, then
 * {@link BlockingHandler} so that the CPU work runs on worker threads and requests are served
 * concurrently.
 */
public final class HttpService implements Service {

    static final String HELLO_WORLD_PATH = "/helloworld";
    /** The methods /helloworld answers: HEAD wherever GET, as RFC 9110 asks. */
    static final String HELLO_WORLD_METHODS = Methods.GET_STRING + ", " + Methods.HEAD_STRING;

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.http";

    private System.Logger log;
    private Duration drainTimeout;
    private DrainHandler drain;
    private Server server;
    private Server management;

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
        checkPorts(config);
        DateHeaderWarmUp.begin();
        // A quarter of the shutdown budget, which the host counts for all services together: most
        // of the rest is for the exporter, which stops after us, to flush our last spans.
        drainTimeout = config.get(Keys.SHUTDOWN_TIMEOUT).dividedBy(4);
        OpenTelemetry openTelemetry = context.lookup(OpenTelemetry.class).orElse(OpenTelemetry.noop());

        String version = BuildVersion.of(HttpService.class);
        DemoMetrics metrics = new DemoMetrics(openTelemetry.meterBuilder(INSTRUMENTATION_SCOPE)
                .setInstrumentationVersion(version).build());
        HelloWorldHandler helloWorld = new HelloWorldHandler(openTelemetry.tracerBuilder(INSTRUMENTATION_SCOPE)
                .setInstrumentationVersion(version).build(),
                metrics, new CpuWork(config.get(HttpKeys.WORK_SCALE)), config.get(HttpKeys.ERROR_RATE));
        RoutingHandler routes = Handlers.routing();
        // Requests are answered as soon as the server listens, while the profiler, which starts
        // alongside the server, may still be loading: those are traced and logged as every other
        // one, but not profiled (their spans carry no profile link). /readyz waits for the profiler.
        drain = new DrainHandler(new HealthHandler(context::hostState,
                ServerSpanHandler.around(openTelemetry, config.get(HttpKeys.EMIT_EXPERIMENTAL_TELEMETRY), routes)),
                ServerLimits.RETRY_AFTER);
        // A plugin's incidents (plugin-scenarios), when one published a hook: around the route's
        // handler, on the worker thread and inside the server span.
        // Counted around the hook, so that requests_total by status holds the requests it failed too.
        HttpHandler work = new BlockingHandler(drain.quietAfterCutOff(new RequestsTotalHandler(metrics,
                RequestHookHandler.around(context.lookup(RequestHook.class), helloWorld))));
        routes.get(HELLO_WORLD_PATH, work)
                .add(Methods.HEAD, HELLO_WORLD_PATH, work)
                .setFallbackHandler(ResponseCodeHandler.HANDLE_404)
                .setInvalidMethodHandler(HttpService::onlyGetAndHead);

        String host = config.get(Keys.HTTP_ADDRESS);
        int port = config.get(Keys.HTTP_PORT);
        server = Server.start(host, port, drain, ServerLimits.DATA, log);
        InetSocketAddress bound = server.address();
        URI uri = ConnectableAddress.of(host, bound);
        int managementPort = config.get(HttpKeys.MANAGEMENT_PORT);
        if (managementPort != HttpKeys.OFF) {
            try {
                HttpHandler controls = context.lookup(ManagementRoute.class)
                        .<HttpHandler>map(route -> new ManagementRouteHandler(route, ResponseCodeHandler.HANDLE_404))
                        .orElse(ResponseCodeHandler.HANDLE_404);
                management = Server.start(host, managementPort,
                        new HealthHandler(context::hostState, controls), ServerLimits.MANAGEMENT, log);
            } catch (BindFailure e) {
                server.stop();
                throw e;
            }
            log.log(Level.INFO, "probes also on {0}: {1}{2} and {1}{3}",
                    BindFailure.hostAndPort(host, management.address().getPort()),
                    ConnectableAddress.of(host, management.address()), HealthHandler.LIVENESS_PATH,
                    HealthHandler.READINESS_PATH);
        }
        context.publish(HttpServerAddress.class, new HttpServerAddress(uri));
        log.log(Level.INFO, "listening on {0}, try {1}{2}",
                BindFailure.hostAndPort(host, bound.getPort()), uri, HELLO_WORLD_PATH);
    }

    /**
     * One port cannot take both listeners: a usage error (exit 2) naming the option, not the
     * "already in use" of the second bind. Found here since no single value is wrong by itself.
     */
    private static void checkPorts(Config config) throws ConfigException {
        int port = config.get(Keys.HTTP_PORT);
        int management = config.get(HttpKeys.MANAGEMENT_PORT);
        if (management == port && port != 0) {
            throw new ConfigException(List.of(new ConfigError(config.origin(HttpKeys.MANAGEMENT_PORT).where(),
                    String.valueOf(management), "a port other than " + config.origin(Keys.HTTP_PORT).where()
                            + "'s (" + port + "), 0 for any free port, or off")));
        }
    }

    /** The port the management listener is bound to; for tests. */
    int managementPort() {
        return management.address().getPort();
    }

    /** 405 with the Allow header that RFC 9110 asks for. */
    private static void onlyGetAndHead(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.ALLOW, HELLO_WORLD_METHODS);
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
    }

    /**
     * Stops accepting connections, answers 503 (closing the connection) to new requests on open
     * ones, waits up to a quarter of the shutdown timeout for the requests in flight, then cuts
     * off the rest and closes everything. The management listener answers until the end:
     * {@code /readyz} says "stopping" there meanwhile, {@code /healthz} "ok".
     */
    @Override
    public void stop() throws Exception {
        try {
            // Drain first, then close the listening socket: in the other order, a request on an open
            // connection could still be served after the socket had closed (HttpServiceTest saw it once).
            drain.drain();
            server.closeListener();
            long cutOff = drain.awaitDrained(drainTimeout);
            if (cutOff > 0) {
                drain.cutOff();
                log.log(Level.WARNING, "{0} {1} still running at the drain deadline of {2} cut off, their connections closed",
                        cutOff, cutOff == 1 ? "request" : "requests", Durations.format(drainTimeout));
            }
            server.stop();
        } finally {
            if (management != null) {
                management.stop();
            }
        }
    }
}
