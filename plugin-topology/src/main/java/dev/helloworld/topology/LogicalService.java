package dev.helloworld.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.helloworld.core.spi.ProfileLabels;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import dev.helloworld.core.spi.ServiceGraph.Edge;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.semconv.ErrorAttributes;
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
 * One role of the shop: a JDK HTTP server on 127.0.0.1 (an ephemeral port) serving its path
 * ({@code GET /<role>}, or {@code POST /<rpc.method>} for a role reached over RPC), instrumented
 * with the role's own OpenTelemetry. A request is a server span (the caller's context extracted
 * from {@code traceparent}) in which the role calls its outgoing edges of the {@link Shop} in
 * order: another role over HTTP or RPC, a dependency, or the queue; then logs what it did, or
 * what failed, in that span.
 */
final class LogicalService {

    static final String SCOPE = "dev.helloworld.topology";
    private static final int THREADS = 2;

    private final String role;
    private final String serviceName;
    private final WorkHooks hooks;
    private final HttpServer server;
    private final ExecutorService workers;
    private final TextMapPropagator propagator;
    private final Inbound inbound;
    private final HttpCall http;
    private final RpcCall rpc;
    private final DependencyCall dependencies;
    private final QueueProducer producer;
    private final RoleLog log;

    private LogicalService(String role, String serviceName, WorkHooks hooks, HttpServer server, ExecutorService workers,
            OpenTelemetry openTelemetry) {
        this.role = role;
        this.serviceName = serviceName;
        this.hooks = hooks;
        this.server = server;
        this.workers = workers;
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.inbound = Shop.reachedOverRpc(role) ? new RpcInbound(role, openTelemetry, SCOPE)
                : new HttpInbound(role, openTelemetry.getTracer(SCOPE));
        this.http = new HttpCall(openTelemetry, SCOPE);
        this.rpc = new RpcCall(openTelemetry, SCOPE);
        this.dependencies = new DependencyCall(openTelemetry, SCOPE, hooks);
        this.producer = new QueueProducer(openTelemetry, SCOPE);
        this.log = new RoleLog(openTelemetry, SCOPE);
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
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + inbound.path());
    }

    /** Serves, calling the other roles at {@code uris} and sending to {@code queue}. */
    void start(Map<String, URI> uris, MessageQueue queue) {
        List<Edge> calls = Shop.callsOf(role);
        server.createContext(inbound.path(), exchange -> serve(exchange, calls, uris, queue));
        server.start();
    }

    void stop() {
        server.stop(0);
        workers.shutdownNow();
    }

    @SuppressWarnings("try") // the scope makes the server span the parent of the calls
    private void serve(HttpExchange exchange, List<Edge> calls, Map<String, URI> uris, MessageQueue queue)
            throws IOException {
        exchange.getRequestBody().readAllBytes();
        long start = System.nanoTime();
        Span span = inbound.start(propagator.extract(Context.root(), exchange, HEADERS), exchange,
                server.getAddress().getPort());
        int status = 200;
        try (ProfileLabels.Labelled label = hooks.label(serviceName); Scope ignored = span.makeCurrent()) {
            Optional<RequestFailure> injected = hooks.before(role);
            if (injected.isPresent()) {
                // An incident aimed at this role: it answers for itself, calling nobody.
                status = injected.get().status();
                span.setAttribute(ErrorAttributes.ERROR_TYPE, String.valueOf(status));
                log.error(span, "failed by an incident aimed at " + role + ": " + status);
            } else {
                for (Edge call : calls) {
                    if (!call(call, uris, queue)) {
                        status = 502;
                        log.error(span, "call to " + call.callee() + " (" + call.kind() + ") failed");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            status = 502;
            span.setAttribute(ErrorAttributes.ERROR_TYPE, e.getClass().getName());
            log.error(span, "request failed: " + e);
        } finally {
            if (status == 200) {
                log.info(span, Shop.outcome(role));
            }
            inbound.end(span, start, status, exchange);
            respond(exchange, status);
        }
    }

    /** One outgoing edge; whether it succeeded. */
    private boolean call(Edge call, Map<String, URI> uris, MessageQueue queue) throws IOException {
        switch (call.kind()) {
            case Shop.HTTP -> {
                return http.get(uris.get(call.callee())) < 400;
            }
            case Shop.RPC -> {
                return rpc.call(uris.get(call.callee()));
            }
            case Shop.QUEUE -> producer.send(queue);
            default -> dependencies.call(Dependency.ofNode(call.callee()).orElseThrow());
        }
        return true;
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
