package dev.helloworld.http;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code GET /helloworld}, step by step as the original does it. Each step is one OpenTelemetry
 * demo; read {@link #handleRequest} top to bottom. Runs on a worker thread, inside the server span
 * that {@link dev.helloworld.http.handlers.ServerSpanHandler} opened.
 */
@SuppressWarnings("try") // each Scope is used for its side effect: its span is current inside
final class HelloWorldHandler implements HttpHandler {

    static final List<String> COUNTRIES = List.of("United States", "Canada", "United Kingdom", "Germany",
            "France", "Japan", "Australia", "China", "India", "Brazil");

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    static final List<String> ERRORS = List.of("mysql connect timeout", "user not found",
            "network unreachable", "file not found");

    static final AttributeKey<Long> KIND = AttributeKey.longKey("helloworld.kind");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("helloworld.step");
    private static final Attributes EVENT = Attributes.of(KIND, 2L, STEP, "traces_span_event_demo");

    /** The logger whose records the OTLP plugin exports as log records, with the current span's ids. */
    private static final System.Logger OTEL = System.getLogger(ConsoleLogging.OTEL_LOGGER);

    private final Tracer tracer;
    private final DemoMetrics metrics;
    private final CpuWork work;
    private final double errorRate;

    HelloWorldHandler(Tracer tracer, DemoMetrics metrics, CpuWork work, double errorRate) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.work = work;
        this.errorRate = errorRate;
    }

    /**
     * The answer is worked out inside {@code handle/hello_world} and sent after it ended: sending
     * commits the response, which ends the server span, and a child must end before its parent.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Answer answer = handle(exchange);
        respond(exchange, answer.status(), answer.body());
    }

    private Answer handle(HttpServerExchange exchange) {
        Span span = tracer.spanBuilder("handle/hello_world").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            String country = randomCountry();
            OTEL.log(Level.INFO, "get country -> " + country);
            OTEL.log(Level.INFO, "received request: " + exchange.getRequestMethod() + " " + exchange.getRequestPath());

            // metrics_counter_demo: requests_total counts this request by country, and by its status once
            // it is answered (DemoMetrics#countRequest, RequestsTotalHandler).
            RequestsTotalHandler.countAs(exchange, country);
            histogramDemo();
            customSpanDemo();
            spanEventDemo();

            return randomErrorDemo(span)
                    .map(error -> new Answer(StatusCodes.INTERNAL_SERVER_ERROR, error))
                    .orElseGet(() -> new Answer(StatusCodes.OK, "Hello World, " + country + "!"));
        } finally {
            span.end();
        }
    }

    private static String randomCountry() {
        return COUNTRIES.get(ThreadLocalRandom.current().nextInt(COUNTRIES.size()));
    }

    /** metrics_histogram_demo: times a task and records the duration, in seconds. */
    private void histogramDemo() {
        long start = System.nanoTime();
        work.doSomething(100);
        metrics.recordTaskDuration((System.nanoTime() - start) / 1e9);
    }

    /** traces_custom_span_demo: a child span of our own, with attributes. */
    private void customSpanDemo() {
        Span span = tracer.spanBuilder("custom_span_demo/do_something").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.setAttribute(KIND, 1L);
            span.setAttribute(STEP, "traces_custom_span_demo");
            work.doSomething(50);
        } finally {
            span.end();
        }
    }

    /** traces_span_event_demo: events that mark moments inside a span. */
    private void spanEventDemo() {
        Span span = tracer.spanBuilder("span_event_demo/do_something").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            span.addEvent("Before do_something", EVENT);
            work.doSomething(50);
            span.addEvent("After do_something", EVENT);
        } finally {
            span.end();
        }
    }

    /**
     * traces_random_error_demo: now and then a failure, recorded on the span as an ERROR status
     * and an exception event, and logged, so that error views have something to show.
     */
    private Optional<String> randomErrorDemo(Span span) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() >= errorRate) {
            return Optional.empty();
        }
        String message = ERRORS.get(random.nextInt(ERRORS.size()));
        OTEL.log(Level.ERROR, "[traces_random_error_demo] got error -> " + message);
        span.setStatus(StatusCode.ERROR, message);
        // As the conventions ask of every failed operation: the type of the error, low in cardinality.
        span.setAttribute(ERROR_TYPE, DemoError.class.getCanonicalName());
        if (span.isRecording()) {
            // Only then: filling in the stack trace is most of what the demo costs.
            span.recordException(new DemoError(message));
        }
        return Optional.of(message);
    }

    private static void respond(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(body);
    }

    private record Answer(int status, String body) {}

    /** The exception the error demo records; its type names it as a demo in error views. */
    static final class DemoError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DemoError(String message) {
            super(message);
        }
    }
}
