package dev.helloworld.http.handlers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.incubator.semconv.http.HttpExperimentalAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.http.HttpServerExperimentalMetrics;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.InstrumenterBuilder;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerMetrics;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRoute;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRouteSource;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps {@code next} in an HTTP server span and the HTTP server metric
 * ({@code http.server.request.duration}; {@code http.server.active_requests} and the body sizes
 * only when the experimental telemetry is asked for, as the Java agent does), through
 * OpenTelemetry's instrumentation API: its extractors keep the stable HTTP semantic conventions
 * (attributes, span name, error status, {@code url.query} redaction, forwarded headers), and the
 * incoming trace context is continued with whatever propagators the {@link OpenTelemetry} has.
 *
 * <p>Undertow has no OpenTelemetry library instrumentation; this handler and
 * {@link UndertowHttpAttributes} are the Undertow-specific part of one. It knows nothing about
 * routes: when a {@link io.undertow.server.RoutingHandler} below it matched a template, that
 * template becomes {@code http.route} and the span name.
 *
 * <p>The span is current while {@code next} runs, and also on the worker thread when {@code next}
 * dispatches (as {@link io.undertow.server.handlers.BlockingHandler} does): the exchange's dispatch
 * executor is wrapped to carry the span's context. It ends when the response is committed, just
 * before its status line is written, or when the exchange completes without one: the client can
 * end its own span as soon as the response arrives, and a server span that ended after its
 * client's would outlive its parent. A handler that sends from inside a child span of its own
 * must end that child first, as {@code HelloWorldHandler} does.
 */
public final class ServerSpanHandler implements HttpHandler {

    private static final String INSTRUMENTATION_SCOPE = "dev.helloworld.http.undertow";

    private final Instrumenter<HttpServerExchange, HttpServerExchange> instrumenter;
    private final HttpHandler next;

    /**
     * {@code next} in a server span handler, or {@code next} itself when nothing would come of
     * one: no tracer, no meter and no log records (every signal off, or no OTLP plugin). The
     * instrumenter extracts every attribute and the caller's context even for the no-op, which
     * with telemetry off was a request's only OpenTelemetry cost.
     */
    public static HttpHandler around(OpenTelemetry openTelemetry, boolean experimental, HttpHandler next) {
        boolean nothingOn = openTelemetry.getTracerProvider() == TracerProvider.noop()
                && openTelemetry.getMeterProvider() == MeterProvider.noop()
                && openTelemetry.getLogsBridge() == LoggerProvider.noop();
        return nothingOn ? next : new ServerSpanHandler(openTelemetry, experimental, next);
    }

    /**
     * @param experimental whether to record what the HTTP conventions still call experimental, as
     *                     the Java agent's {@code otel.instrumentation.http.server.emit-experimental-telemetry}
     *                     does (its {@code DefaultHttpServerInstrumenterBuilder}): the body sizes on the
     *                     span, and {@code http.server.active_requests} with the body-size histograms
     */
    public ServerSpanHandler(OpenTelemetry openTelemetry, boolean experimental, HttpHandler next) {
        UndertowHttpAttributes getter = UndertowHttpAttributes.INSTANCE;
        InstrumenterBuilder<HttpServerExchange, HttpServerExchange> builder = Instrumenter
                .<HttpServerExchange, HttpServerExchange>builder(openTelemetry, INSTRUMENTATION_SCOPE,
                        HttpSpanNameExtractor.create(getter))
                .setSpanStatusExtractor(HttpSpanStatusExtractor.create(getter))
                .addAttributesExtractor(HttpServerAttributesExtractor.create(getter))
                .addContextCustomizer(HttpServerRoute.create(getter))
                .addOperationMetrics(HttpServerMetrics.get());
        if (experimental) {
            builder.addAttributesExtractor(HttpExperimentalAttributesExtractor.create(getter))
                    .addOperationMetrics(HttpServerExperimentalMetrics.get());
        }
        this.instrumenter = builder.buildServerInstrumenter(getter);
        this.next = next;
    }

    @Override
    @SuppressWarnings("try") // the scope is used for its side effect: the span is current inside
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // A request starts a trace or continues the caller's; never whatever this thread had.
        Context parent = Context.root();
        if (!instrumenter.shouldStart(parent, exchange)) {
            next.handleRequest(exchange);
            return;
        }
        Context context = instrumenter.start(parent, exchange);
        Ending ending = new Ending(context, exchange);
        exchange.setDispatchExecutor(context.wrap(dispatchExecutor(exchange)));
        exchange.addResponseCommitListener(committing -> ending.end());
        exchange.addExchangeCompleteListener((done, nextListener) -> {
            try {
                ending.end();
            } finally {
                nextListener.proceed();
            }
        });
        try (Scope ignored = context.makeCurrent()) {
            next.handleRequest(exchange);
        }
        // Undertow runs a task dispatched to a worker only once this handler has returned, so the
        // work there starts under its final name, which is the name profiles label its samples with.
        ending.named();
    }

    private static Executor dispatchExecutor(HttpServerExchange exchange) {
        Executor executor = exchange.getDispatchExecutor();
        return executor != null ? executor : exchange.getConnection().getWorker();
    }

    /** Ends the span once, at whichever comes first of the commit and the completion. */
    private final class Ending {
        private final Context context;
        private final HttpServerExchange exchange;
        private final AtomicBoolean ended = new AtomicBoolean();

        Ending(Context context, HttpServerExchange exchange) {
            this.context = context;
            this.exchange = exchange;
        }

        void end() {
            if (ended.compareAndSet(false, true)) {
                named();
                // Undertow answers 500 for a handler that threw, here or on a worker thread, and keeps the cause.
                Throwable failure = exchange.getAttachment(DefaultResponseListener.EXCEPTION);
                instrumenter.end(context, exchange, exchange, failure);
            }
        }

        /** The matched route, as soon as there is one: the span's name is final before the work starts. */
        void named() {
            String route = UndertowHttpAttributes.INSTANCE.getHttpRoute(exchange);
            if (route != null) {
                HttpServerRoute.update(context, HttpServerRouteSource.SERVER, route);
            }
        }
    }
}
