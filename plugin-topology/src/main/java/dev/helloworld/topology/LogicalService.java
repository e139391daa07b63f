package dev.helloworld.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.helloworld.core.spi.ProfileLabels;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import dev.helloworld.core.spi.ServiceGraph.Edge;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One role of the shop: a JDK HTTP server on 127.0.0.1 (an ephemeral port) serving
 * {@code GET /<role>}, instrumented with the role's own OpenTelemetry. A request is a server span
 * (the caller's context extracted from {@code traceparent}) in which the role calls its
 * outgoing edges of the {@link Shop} in order: another role, a dependency, or the queue.
 */
final class LogicalService {

    static final String SCOPE = "dev.helloworld.topology";
    private static final int THREADS = 2;

    private final String role;
    private final String serviceName;
    private final WorkHooks hooks;
    private final HttpServer server;
    private final ExecutorService workers;
    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final HttpCall http;
    private final DependencyCall dependencies;

    private LogicalService(String role, String serviceName, WorkHooks hooks, HttpServer server, ExecutorService workers,
            OpenTelemetry openTelemetry) {
        this.role = role;
        this.serviceName = serviceName;
        this.hooks = hooks;
        this.server = server;
        this.workers = workers;
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.http = new HttpCall(openTelemetry, SCOPE);
        this.dependencies = new DependencyCall(openTelemetry, SCOPE, hooks);
    }

    /**
     * Binds the role's server; it serves once {@link #start} has been told where the others are.
     *
     * @param serviceName its {@code service.name}, which its profile samples carry too
     */
    static LogicalService bind(String role, String serviceName, OpenTelemetry openTelemetry, WorkHooks hooks)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger count = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "topology-" + role + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        return new LogicalService(role, serviceName, hooks, server, workers, openTelemetry);
    }

    String role() {
        return role;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + role);
    }

    /** Serves, calling the other roles at {@code uris} and sending to {@code queue}. */
    void start(Map<String, URI> uris, MessageQueue queue) {
        List<Edge> calls = Shop.callsOf(role);
        server.createContext("/" + role, exchange -> serve(exchange, calls, uris, queue));
        server.start();
    }

    void stop() {
        server.stop(0);
        workers.shutdownNow();
    }

    @SuppressWarnings("try") // the scope makes the server span the parent of the calls
    private void serve(HttpExchange exchange, List<Edge> calls, Map<String, URI> uris, MessageQueue queue)
            throws IOException {
        Context parent = openTelemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), exchange, HEADERS);
        Span span = tracer.spanBuilder("GET /" + role).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, exchange.getRequestMethod())
                .setAttribute(HttpAttributes.HTTP_ROUTE, "/" + role)
                .setAttribute(UrlAttributes.URL_PATH, exchange.getRequestURI().getPath())
                .setAttribute(UrlAttributes.URL_SCHEME, "http")
                .setAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
                .setAttribute(ServerAttributes.SERVER_PORT, (long) server.getAddress().getPort())
                .startSpan();
        int status = 200;
        try (ProfileLabels.Labelled label = hooks.label(serviceName); Scope ignored = span.makeCurrent()) {
            Optional<RequestFailure> injected = hooks.before(role);
            if (injected.isPresent()) {
                // An incident aimed at this role: it answers for itself, calling nobody.
                status = injected.get().status();
                span.setAttribute(ErrorAttributes.ERROR_TYPE, String.valueOf(status));
            } else {
                status = callAll(calls, uris, queue);
            }
        } catch (IOException | RuntimeException e) {
            status = 502;
            span.setAttribute(ErrorAttributes.ERROR_TYPE, e.getClass().getName());
        } finally {
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
            span.end();
            respond(exchange, status);
        }
    }

    /** Calls {@code calls} in order: 200, or 502 when a role called answered with an error. */
    private int callAll(List<Edge> calls, Map<String, URI> uris, MessageQueue queue) throws IOException {
        int status = 200;
        for (Edge call : calls) {
            switch (call.kind()) {
                case Shop.HTTP -> status = http.get(uris.get(call.callee())) >= 400 ? 502 : status;
                case Shop.QUEUE -> queue.send(openTelemetry, SCOPE);
                default -> dependencies.call(Dependency.ofNode(call.callee()).orElseThrow());
            }
        }
        return status;
    }

    private void respond(HttpExchange exchange, int status) throws IOException {
        byte[] body = (role + (status == 200 ? " ok" : " failed") + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The request headers as the propagator reads them. */
    private static final TextMapGetter<HttpExchange> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpExchange exchange) {
            return exchange.getRequestHeaders().keySet();
        }

        @Override
        public String get(HttpExchange exchange, String key) {
            return exchange == null ? null : exchange.getRequestHeaders().getFirst(key);
        }
    };
}
