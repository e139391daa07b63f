package dev.helloworld.querier;

import static dev.helloworld.testkit.OtlpReceiver.attribute;
import static dev.helloworld.testkit.OtlpReceiver.hex;
import static dev.helloworld.testkit.OtlpReceiver.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain in one JVM, as the launcher runs it: plugin-otlp exporting over OTLP to the
 * in-test receiver, plugin-http serving, the querier calling. What arrives at the receiver is
 * what an APM backend would see.
 */
class QuerierTelemetryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The lists, which the service must keep to. */
    private static final List<String> COUNTRIES = List.of("United States", "Canada", "United Kingdom", "Germany",
            "France", "Japan", "Australia", "China", "India", "Brazil");
    private static final List<String> ERRORS = List.of("mysql connect timeout", "user not found",
            "network unreachable", "file not found");
    private static final List<Double> BUCKETS = List.of(0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0);

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @ParameterizedTest(name = "over OTLP/{0}")
    @ValueSource(strings = {OtlpReceiver.GRPC, OtlpReceiver.HTTP})
    void oneCallIsOneTraceFromTheQuerierSpanDownToTheTwoDemoSpans(String transport) throws Exception {
        String traceId;
        try (LogCapture otel = LogCapture.of(ConsoleLogging.OTEL_LOGGER)) {
            traceId = runUntilOneCallIsAnswered("0", transport, otel).span().getTraceId();
        }
        Map<String, Span> trace = trace(traceId);

        Span caller = trace.get("caller/query_hello_world");
        Span client = trace.get("GET");
        Span server = trace.get("GET /helloworld");
        Span handle = trace.get("handle/hello_world");
        Span custom = trace.get("custom_span_demo/do_something");
        Span events = trace.get("span_event_demo/do_something");
        assertTrue(caller.getParentSpanId().isEmpty(), "the querier span is the root");
        assertParent(caller, client);
        assertParent(client, server);
        assertParent(server, handle);
        assertParent(handle, custom);
        assertParent(handle, events);
        assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, client.getKind());
        assertEquals(Span.SpanKind.SPAN_KIND_SERVER, server.getKind());

        assertEquals(Optional.of("/helloworld"), attribute(server.getAttributesList(), "http.route"));
        assertEquals(Optional.of("200"), attribute(server.getAttributesList(), "http.response.status_code"));
        assertEquals(Optional.of("GET"), attribute(server.getAttributesList(), "http.request.method"));
        assertEquals(Optional.of("200"), attribute(client.getAttributesList(), "http.response.status_code"));
        assertEquals(Optional.of("1"), attribute(custom.getAttributesList(), "helloworld.kind"));
        assertEquals(Optional.of("traces_custom_span_demo"), attribute(custom.getAttributesList(), "helloworld.step"));
        assertEquals(List.of("Before do_something", "After do_something"),
                events.getEventsList().stream().map(Span.Event::getName).toList());
        for (Span.Event event : events.getEventsList()) {
            assertEquals(Optional.of("2"), attribute(event.getAttributesList(), "helloworld.kind"), event.getName());
            assertEquals(Optional.of("traces_span_event_demo"), attribute(event.getAttributesList(), "helloworld.step"),
                    event.getName());
        }
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, handle.getStatus().getCode());

        LogRecord country = logIn(traceId, body -> body.startsWith("get country -> "));
        assertTrue(COUNTRIES.contains(text(country.getBody()).substring("get country -> ".length())),
                () -> "expected one of " + COUNTRIES + ", got '" + text(country.getBody()) + "'");
        assertEquals(hex(handle.getSpanId()), hex(country.getSpanId()), "'get country' is logged in handle/hello_world");
        LogRecord received = logIn(traceId, "received request: GET /helloworld"::equals);
        assertEquals(hex(handle.getSpanId()), hex(received.getSpanId()), "'received request' is logged in handle/hello_world");
        LogRecord sent = logIn(traceId, "[query_hello_world] send request"::equals);
        assertEquals(hex(caller.getSpanId()), hex(sent.getSpanId()), "'send request' is logged in the querier span");
    }

    @Test
    void countsRequestsByCountryAndTimesTasksInTheOriginalBuckets() throws Exception {
        runUntilOneCallIsAnswered("0");

        Metric requests = receiver.awaitMetric("requests_total", WAIT);
        assertEquals("Total number of HTTP requests", requests.getDescription());
        assertTrue(requests.getSum().getDataPointsCount() > 0, requests::toString);
        requests.getSum().getDataPointsList().forEach(p -> assertTrue(
                attribute(p.getAttributesList(), "country").filter(COUNTRIES::contains).isPresent(),
                () -> "expected a country on every point, got " + p));

        Metric durations = receiver.awaitMetric("task_execute_duration_seconds", WAIT);
        assertEquals("s", durations.getUnit());
        assertEquals(BUCKETS, durations.getHistogram().getDataPoints(0).getExplicitBoundsList(), durations::toString);

        Metric memory = receiver.awaitMetric("memory_usage", WAIT);
        assertEquals("%", memory.getUnit());
        double usage = memory.getGauge().getDataPoints(0).getAsDouble();
        assertTrue(usage >= 0 && usage < 1, () -> "expected memory_usage in [0, 1), got " + usage);
    }

    @Test
    void anErrorRateOfOneFailsEveryCallWithTheErrorOnTheHandleSpanAnd500() throws Exception {
        String traceId;
        String answer;
        try (LogCapture otel = LogCapture.of(ConsoleLogging.OTEL_LOGGER)) {
            LogCapture.Line line = runUntilOneCallIsAnswered("1", OtlpReceiver.HTTP, otel);
            traceId = line.span().getTraceId();
            answer = line.message().substring("[query_hello_world] received: ".length());
            assertEquals(Level.WARNING, line.level(), "a 500 is logged as a warning: " + line);
        }
        assertTrue(answer.startsWith("500 "), () -> "expected a 500, got " + answer);
        String message = answer.substring(4);
        assertTrue(ERRORS.contains(message), () -> "expected one of " + ERRORS + ", got '" + message + "'");

        Map<String, Span> trace = trace(traceId);
        Span handle = trace.get("handle/hello_world");
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, handle.getStatus().getCode());
        assertEquals(message, handle.getStatus().getMessage());
        List<Span.Event> exceptions = handle.getEventsList().stream().filter(e -> e.getName().equals("exception")).toList();
        assertEquals(1, exceptions.size(), () -> "expected one exception event, got " + handle.getEventsList());
        assertEquals(Optional.of(message), attribute(exceptions.get(0).getAttributesList(), "exception.message"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, trace.get("GET /helloworld").getStatus().getCode(),
                "the server span of a 500");
        assertEquals(Optional.of("500"), attribute(trace.get("GET /helloworld").getAttributesList(),
                "http.response.status_code"));

        LogRecord error = logIn(traceId, ("[traces_random_error_demo] got error -> " + message)::equals);
        assertEquals("ERROR", error.getSeverityText().isEmpty() ? error.getSeverityNumber().name().replace("SEVERITY_NUMBER_", "")
                : normalise(error.getSeverityText()), error.toString());
        assertEquals(hex(handle.getSpanId()), hex(error.getSpanId()), "the error is logged in handle/hello_world");
    }

    // ---- helpers ----

    private void runUntilOneCallIsAnswered(String errorRate) throws Exception {
        try (LogCapture otel = LogCapture.of(ConsoleLogging.OTEL_LOGGER)) {
            runUntilOneCallIsAnswered(errorRate, OtlpReceiver.HTTP, otel);
        }
    }

    /**
     * Runs otlp, http and querier until the querier logs an answer, then stops the host, which
     * flushes everything to the receiver. Returns the answer's log line.
     */
    private LogCapture.Line runUntilOneCallIsAnswered(String errorRate, String transport, LogCapture otel)
            throws Exception {
        // Found as the launcher finds them: the plugins' packages are not exported, their services are.
        List<Plugin> plugins = Plugins.discover(getClass().getClassLoader()).stream()
                .filter(p -> List.of("otlp", "http", "querier").contains(p.name())).toList();
        assertEquals(List.of("otlp", "http", "querier"), plugins.stream().map(Plugin::name).toList());
        Map<String, String> flags = new HashMap<>();
        flags.put("otlp.exporter", transport);
        flags.put("otlp.endpoint", receiver.endpoint(transport).toString());
        flags.put("enable.traces", "true");
        flags.put("enable.metrics", "true");
        flags.put("enable.logs", "true");
        flags.put("http.address", "127.0.0.1");
        flags.put("http.port", "0");
        flags.put("work.scale", "0.1");
        flags.put("error.rate", errorRate);
        flags.put("query.interval", "100ms");
        ServiceHost host = new ServiceHost(plugins, Config.of(Plugins.configKeys(plugins), flags));
        try {
            host.start();
            return otel.await(m -> m.startsWith("[query_hello_world] received: "), 1, "an answered call").get(0);
        } finally {
            host.stop();
        }
    }

    /** The spans of one trace by name, failing unless it has exactly the six of one call. */
    private Map<String, Span> trace(String traceId) {
        List<Span> spans = receiver.awaitSpans(all -> all.stream().filter(s -> hex(s.getTraceId()).equals(traceId))
                .count() >= 6, WAIT).stream().filter(s -> hex(s.getTraceId()).equals(traceId)).toList();
        Map<String, Span> byName = spans.stream().collect(Collectors.toMap(Span::getName, s -> s, (a, b) -> {
            throw new AssertionError("two spans named " + a.getName() + " in trace " + traceId);
        }));
        assertEquals(List.of("GET", "GET /helloworld", "caller/query_hello_world", "custom_span_demo/do_something",
                        "handle/hello_world", "span_event_demo/do_something"),
                byName.keySet().stream().sorted().toList(), "the spans of one call");
        return byName;
    }

    private LogRecord logIn(String traceId, java.util.function.Predicate<String> body) {
        java.util.function.Predicate<LogRecord> wanted = r -> hex(r.getTraceId()).equals(traceId) && body.test(text(r.getBody()));
        return receiver.awaitLogRecords(all -> all.stream().anyMatch(wanted), WAIT).stream()
                .filter(wanted).findFirst().orElseThrow();
    }

    private static void assertParent(Span parent, Span child) {
        assertEquals(hex(parent.getSpanId()), hex(child.getParentSpanId()),
                () -> "the parent of " + child.getName() + " is " + parent.getName());
        assertEquals(hex(parent.getTraceId()), hex(child.getTraceId()), () -> child.getName() + " shares the trace");
    }

    private static String normalise(String severity) {
        return severity.equals("SEVERE") ? "ERROR" : severity;
    }
}
