package dev.helloworld.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.semconv.HttpAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What one {@code GET /helloworld} produces, checked on a real SDK with in-memory exporters. */
class HelloWorldHandlerTest {

    private final TestTelemetry telemetry = new TestTelemetry();
    private final Logger otelLogger = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Map<String, SpanContext> logSpans = new java.util.concurrent.ConcurrentHashMap<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String line = record.getLevel() + " " + record.getMessage();
            logLines.add(line);
            logSpans.put(line, io.opentelemetry.api.trace.Span.current().getSpanContext());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureOtelLogger() {
        otelLogger.addHandler(capture);
    }

    @AfterEach
    void release() {
        otelLogger.removeHandler(capture);
        telemetry.close();
    }

    @Test
    void answersHelloWorldWithOneOfTheOriginalCountries() throws Exception {
        try (TestServer server = new TestServer(telemetry.sdk, Map.of())) {
            Http.Response response = Http.get(server.resolve("/helloworld"));

            assertEquals(200, response.status(), () -> "expected 200, got " + response);
            assertTrue(HelloWorldHandler.COUNTRIES.stream().anyMatch(c -> response.body().equals("Hello World, " + c + "!")),
                    () -> "expected 'Hello World, <one of " + HelloWorldHandler.COUNTRIES + ">!', got " + response);
        }
    }

    @Test
    void tracesTheRequestAsHandleSpanWithTwoDemoChildrenUnderTheServerSpan() throws Exception {
        try (TestServer server = new TestServer(telemetry.sdk, Map.of())) {
            Http.get(server.resolve("/helloworld"));
            List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 4, "4 spans");

            SpanData serverSpan = only(spans, "GET /helloworld");
            SpanData handle = only(spans, "handle/hello_world");
            SpanData custom = only(spans, "custom_span_demo/do_something");
            SpanData events = only(spans, "span_event_demo/do_something");
            assertEquals(SpanKind.SERVER, serverSpan.getKind());
            assertEquals("/helloworld", serverSpan.getAttributes().get(HttpAttributes.HTTP_ROUTE));
            assertEquals(200L, serverSpan.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
            assertEquals(serverSpan.getSpanId(), handle.getParentSpanId(), "handle's parent is the server span");
            assertEquals(handle.getSpanId(), custom.getParentSpanId(), "custom span's parent is handle");
            assertEquals(handle.getSpanId(), events.getParentSpanId(), "event span's parent is handle");
            for (SpanData s : List.of(handle, custom, events)) {
                assertEquals(serverSpan.getTraceId(), s.getTraceId(), s.getName() + " shares the trace");
            }

            assertEquals(Attributes.of(HelloWorldHandler.KIND, 1L, HelloWorldHandler.STEP, "traces_custom_span_demo").asMap(),
                    custom.getAttributes().asMap());
            Attributes eventAttributes = Attributes.of(HelloWorldHandler.KIND, 2L,
                    HelloWorldHandler.STEP, "traces_span_event_demo");
            assertEquals(List.of("Before do_something", "After do_something"),
                    events.getEvents().stream().map(EventData::getName).toList());
            events.getEvents().forEach(e -> assertEquals(eventAttributes.asMap(), e.getAttributes().asMap(), e.getName()));
            assertEquals(StatusCode.UNSET, handle.getStatus().getStatusCode());
            assertEquals(StatusCode.UNSET, serverSpan.getStatus().getStatusCode());
        }
    }

    @Test
    void everySpanEndsNoLaterThanItsParentAndTheServerSpanCoversTheResponse() throws Exception {
        int requests = 60;
        try (TestServer server = new TestServer(telemetry.sdk, Map.of("error.rate", "0.5"))) {
            for (int i = 0; i < requests; i++) {
                Http.get(server.resolve("/helloworld"));
            }
            List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 4 * requests, 4 * requests + " spans");

            Map<String, SpanData> byId = new java.util.HashMap<>();
            spans.forEach(span -> byId.put(span.getSpanId(), span));
            List<String> late = new java.util.ArrayList<>();
            int children = 0;
            for (SpanData child : spans) {
                SpanData parent = byId.get(child.getParentSpanId());
                if (parent == null) {
                    continue;
                }
                children++;
                if (child.getEndEpochNanos() > parent.getEndEpochNanos()) {
                    late.add(child.getName() + " ends " + (child.getEndEpochNanos() - parent.getEndEpochNanos())
                            + " ns after " + parent.getName());
                }
            }
            assertEquals(3 * requests, children, "three children per request");
            int all = children;
            int ordered = children - late.size();
            assertEquals(all, ordered, () -> "expected 100 % of children to end no later than their parent, got "
                    + ordered + " of " + all + ": " + late.subList(0, Math.min(5, late.size())));
        }
    }

    @Test
    void failsWithOneOfTheOriginalErrorsRecordedOnTheHandleSpanWhenErrorRateIsOne() throws Exception {
        try (TestServer server = new TestServer(telemetry.sdk, Map.of("error.rate", "1"))) {
            Http.Response response = Http.get(server.resolve("/helloworld"));
            List<SpanData> spans = telemetry.awaitSpans(s -> s.size() >= 4, "4 spans");

            assertEquals(500, response.status(), () -> "expected 500, got " + response);
            assertTrue(HelloWorldHandler.ERRORS.contains(response.body()),
                    () -> "expected one of " + HelloWorldHandler.ERRORS + " as the body, got " + response);
            SpanData handle = only(spans, "handle/hello_world");
            assertEquals(StatusCode.ERROR, handle.getStatus().getStatusCode());
            assertEquals(response.body(), handle.getStatus().getDescription());
            List<EventData> exceptions = handle.getEvents().stream().filter(e -> e.getName().equals("exception")).toList();
            assertEquals(1, exceptions.size(), () -> "expected one exception event, got " + handle.getEvents());
            assertEquals(response.body(), exceptions.get(0).getAttributes().get(AttributeKey.stringKey("exception.message")));
            SpanData serverSpan = only(spans, "GET /helloworld");
            assertEquals(StatusCode.ERROR, serverSpan.getStatus().getStatusCode(), "a 500 marks the server span");
            assertTrue(logLines.contains("SEVERE [traces_random_error_demo] got error -> " + response.body()),
                    () -> "expected the error logged at ERROR on the otel logger, got " + logLines);
        }
    }

    @Test
    void aRequestWhoseTraceIsNotRecordedIsServedLoggedAndCountedWithoutSpans() throws Exception {
        try (TestTelemetry unsampled = new TestTelemetry(Sampler.alwaysOff());
                TestServer server = new TestServer(unsampled.sdk, Map.of("error.rate", "1"))) {
            Http.Response response = Http.get(server.resolve("/helloworld"));

            assertEquals(500, response.status(), () -> "expected 500, got " + response);
            assertTrue(HelloWorldHandler.ERRORS.contains(response.body()), () -> "the error as the body: " + response);
            assertTrue(logLines.contains("SEVERE [traces_random_error_demo] got error -> " + response.body()),
                    () -> "the error is logged all the same: " + logLines);
            long counted = metric(unsampled.collectMetrics(), "requests_total").getLongSumData().getPoints().stream()
                    .mapToLong(LongPointData::getValue).sum();
            assertEquals(1, counted, "the request is counted");
            assertEquals(List.of(), unsampled.spans.getFinishedSpanItems(), "no span is recorded");
        }
    }

    @Test
    void logsTheCountryAndTheRequestToTheOtelLoggerInsideTheHandleSpan() throws Exception {
        try (TestServer server = new TestServer(telemetry.sdk, Map.of())) {
            Http.Response response = Http.get(server.resolve("/helloworld"));
            SpanData handle = only(telemetry.awaitSpans(s -> s.size() >= 4, "4 spans"), "handle/hello_world");

            String country = response.body().substring("Hello World, ".length(), response.body().length() - 1);
            List<String> expected = List.of("INFO get country -> " + country, "INFO received request: GET /helloworld");
            assertEquals(expected, logLines);
            for (String line : expected) {
                assertEquals(handle.getSpanId(), logSpans.get(line).getSpanId(), "span of '" + line + "'");
                assertEquals(handle.getTraceId(), logSpans.get(line).getTraceId(), "trace of '" + line + "'");
            }
        }
    }

    @Test
    void countsRequestsByCountryAndTimesTasksInTheOriginalBuckets() throws Exception {
        try (TestServer server = new TestServer(telemetry.sdk, Map.of("work.scale", "0.1"))) {
            Http.Response first = Http.get(server.resolve("/helloworld"));
            Http.Response second = Http.get(server.resolve("/helloworld"));
            var metrics = telemetry.collectMetrics();

            MetricData requests = metric(metrics, "requests_total");
            assertEquals("Total number of HTTP requests", requests.getDescription());
            long total = requests.getLongSumData().getPoints().stream().mapToLong(LongPointData::getValue).sum();
            assertEquals(2, total, () -> "expected 2 requests counted, got " + requests);
            for (Http.Response r : List.of(first, second)) {
                String country = r.body().substring("Hello World, ".length(), r.body().length() - 1);
                assertTrue(requests.getLongSumData().getPoints().stream()
                                .anyMatch(p -> country.equals(p.getAttributes().get(DemoMetrics.COUNTRY))
                                        && Long.valueOf(200).equals(p.getAttributes().get(DemoMetrics.STATUS))),
                        () -> "expected a point with country=" + country + " and status 200, got " + requests.getLongSumData().getPoints());
            }

            MetricData durations = metric(metrics, "task_execute_duration_seconds");
            assertEquals("s", durations.getUnit());
            HistogramPointData point = durations.getHistogramData().getPoints().iterator().next();
            assertEquals(DemoMetrics.TASK_DURATION_BUCKETS, point.getBoundaries());
            assertEquals(2, point.getCount());
            // do_something(100) at scale 0.1 burns 1 to 10 ms.
            assertTrue(point.getMin() >= 0.001 && point.getMax() < 1, () -> "durations out of range: " + point);

            MetricData memory = metric(metrics, "memory_usage");
            assertEquals("%", memory.getUnit());
            assertEquals("Memory usage", memory.getDescription());
            double usage = memory.getDoubleGaugeData().getPoints().iterator().next().getValue();
            assertTrue(usage >= 0 && usage < 1, () -> "expected memory_usage in [0, 1), got " + usage);
        }
    }

    @Test
    void continuesTheCallersW3cTraceContext() throws Exception {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentId = "00f067aa0ba902b7";
        try (TestServer server = new TestServer(telemetry.sdk, Map.of())) {
            Http.send("GET", server.resolve("/helloworld"),
                    Map.of("traceparent", "00-" + traceId + "-" + parentId + "-01"));
            SpanData serverSpan = only(telemetry.awaitSpans(s -> s.size() >= 4, "4 spans"), "GET /helloworld");

            assertEquals(traceId, serverSpan.getTraceId());
            assertEquals(parentId, serverSpan.getParentSpanId());
            assertTrue(serverSpan.getParentSpanContext().isRemote(), "the parent is the remote caller");
        }
    }

    private static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, named.size(), () -> "expected one span named '" + name + "', got "
                + spans.stream().map(SpanData::getName).toList());
        return named.get(0);
    }

    private static MetricData metric(java.util.Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("expected metric " + name + ", got "
                        + metrics.stream().map(MetricData::getName).toList()));
    }
}
