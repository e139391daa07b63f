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
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.server.handlers.ResponseCodeHandler;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The helloworld HTTP server: {@code GET /helloworld} with full telemetry, {@code /healthz} and
 * {@code /readyz}, on Undertow.
 *
 * <p>The handler chain, outermost first: graceful shutdown (counts in-flight requests), health
 * probes (untraced), the server span, routing, then {@link BlockingHandler} so that the CPU work
 * runs on worker threads and requests are served concurrently.
 */
public final class HttpService implements Service {

    static final String HELLO_WORLD_PATH = "/helloworld";

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.http";

    private System.Logger log;
    private Duration drainTimeout;
    private DemoMetrics metrics;
    private GracefulShutdownHandler inFlight;
    private Undertow server;

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
        // Half of the shutdown budget: the other half is for the exporter to flush our last spans.
        drainTimeout = config.get(Keys.SHUTDOWN_TIMEOUT).dividedBy(2);
        OpenTelemetry openTelemetry = context.lookup(OpenTelemetry.class).orElse(OpenTelemetry.noop());

        metrics = new DemoMetrics(openTelemetry.getMeter(INSTRUMENTATION_SCOPE));
        HelloWorldHandler helloWorld = new HelloWorldHandler(openTelemetry.getTracer(INSTRUMENTATION_SCOPE),
                metrics, new CpuWork(config.get(HttpKeys.WORK_SCALE)), config.get(HttpKeys.ERROR_RATE));
        HttpHandler routes = Handlers.routing()
                .get(HELLO_WORLD_PATH, new BlockingHandler(helloWorld))
                .setFallbackHandler(ResponseCodeHandler.HANDLE_404)
                .setInvalidMethodHandler(ResponseCodeHandler.HANDLE_405);
        inFlight = Handlers.gracefulShutdown(
                new HealthHandler(context::hostState, new ServerSpanHandler(openTelemetry, routes)));

        String host = config.get(Keys.HTTP_ADDRESS);
        int port = config.get(Keys.HTTP_PORT);
        Undertow undertow = ServerLimits.apply(Undertow.builder())
                .addHttpListener(port, host)
                .setHandler(inFlight)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            metrics.close();
            throw new BindFailure(host, port, e);
        }
        server = undertow;

        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        URI uri = ConnectableAddress.of(bound);
        context.publish(HttpServerAddress.class, new HttpServerAddress(uri));
        log.log(Level.INFO, "listening on {0}:{1,number,#}, try {2}{3}",
                host, bound.getPort(), uri, HELLO_WORLD_PATH);
    }

    /**
     * Stops accepting connections, answers 503 to new requests on open ones, waits up to half
     * the shutdown timeout for the requests in flight, then closes everything.
     */
    @Override
    public void stop() throws Exception {
        server.getListenerInfo().forEach(Undertow.ListenerInfo::suspend);
        inFlight.shutdown();
        try {
            if (!inFlight.awaitShutdown(drainTimeout.toMillis())) {
                log.log(Level.WARNING, "requests still running after {0}; closing their connections",
                        Durations.format(drainTimeout));
            }
        } finally {
            server.stop();
            metrics.close();
        }
    }
}
