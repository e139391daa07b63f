package dev.helloworld.http.handlers;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Holds the requests that arrive before {@code ready} completes, and passes them to {@code next}
 * then, on their I/O thread; after that it costs one volatile read. The server listens while a
 * service that started before it (the profiler, which starts alongside the server) may still be
 * starting: a request held here is recorded as every later one is, its CPU samples profiled and
 * its server span linked to them, rather than answered early with less telemetry. Nothing is
 * refused: a client sees a slower first answer, not an error.
 */
public final class StartGate implements HttpHandler {

    private final CompletableFuture<Void> ready;
    private final HttpHandler next;
    private volatile boolean open;

    private StartGate(CompletableFuture<Void> ready, HttpHandler next) {
        this.ready = ready;
        this.next = next;
    }

    /** {@code next} behind a gate until {@code ready}, or {@code next} itself when it is ready already. */
    public static HttpHandler around(CompletionStage<Void> ready, HttpHandler next) {
        CompletableFuture<Void> future = ready.toCompletableFuture();
        return future.isDone() ? next : new StartGate(future, next);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (open) {
            next.handleRequest(exchange);
            return;
        }
        if (ready.isDone()) {
            open = true;
            next.handleRequest(exchange);
            return;
        }
        // Undertow keeps the exchange while it is dispatched; once the handler chain returns, the
        // task runs, and it resumes the request on its I/O thread when the earlier starts are over
        // (whether they succeeded or not: a failed start stops the host, and the drain answers).
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> ready.whenComplete((ignored, failure) -> exchange.dispatch(exchange.getIoThread(), next)));
    }
}
