package dev.helloworld.querier;

import static dev.helloworld.testkit.OtlpReceiver.attribute;
import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the service emits, as an OpenTelemetry maintainer reads it at an OTLP receiver: the shape
 * of its traces, the semantic conventions of what a library instruments, redaction, propagation.
 * The whole chain in one JVM (plugin-otlp over OTLP/HTTP to the in-test receiver, plugin-http,
 * the querier), on real sockets.
 */
class TelemetryShapeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The HTTP conventions' advice for http.client.request.duration: these attributes, these buckets. */
    private static final Set<String> CLIENT_DURATION_ATTRIBUTES = Set.of("http.request.method",
            "http.response.status_code", "error.type", "network.protocol.name", "network.protocol.version",
            "server.address", "server.port", "url.scheme");
    private static final List<Double> CLIENT_DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final OtlpReceiver receiver = OtlpReceiver.start();
    /** Not instrumented: the requests of these tests carry only the headers a test gives them. */
    private final OkHttpClient client = new OkHttpClient();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void inEveryExportedTraceEverySpanEndsNoLaterThanItsParent() throws Exception {
        int calls = 60;
        try (LogCapture otel = LogCapture.of(ConsoleLogging.OTEL_LOGGER)) {
            Running running = start(Map.of("error.rate", "0.3", "query.interval", "10ms"));
            try {
                otel.await(m -> m.startsWith("[query_hello_world] received: "), calls, calls + " answered calls");
            } finally {
                running.host().stop();
            }
        }

        Map<String, List<Span>> traces = receiver.spans().stream().collect(Collectors.groupingBy(s -> hex(s.getTraceId())));
        int edges = 0;
        List<String> late = new ArrayList<>();
        int whole = 0;
        for (List<Span> trace : traces.values()) {
            Map<String, Span> byId = trace.stream().collect(Collectors.toMap(s -> hex(s.getSpanId()), s -> s));
            if (trace.size() == 6) {
                whole++;
            }
            for (Span child : trace) {
                Span parent = byId.get(hex(child.getParentSpanId()));
                if (parent == null) {
                    continue;
                }
                edges++;
                if (child.getEndTimeUnixNano() > parent.getEndTimeUnixNano()) {
                    late.add(child.getName() + " ends " + (child.getEndTimeUnixNano() - parent.getEndTimeUnixNano())
                            + " ns after its parent " + parent.getName());
                }
            }
        }
        int all = edges;
        int ordered = edges - late.size();
        assertTrue(whole >= calls, () -> "expected at least " + calls + " whole traces of 6 spans, got " + traces.size());
        assertEquals(all, ordered, () -> "expected 100 % of the " + all + " parent/child pairs of " + traces.size()
                + " traces to end in order, got " + ordered + ": " + late.subList(0, Math.min(5, late.size())));
    }

    @Test
    void okHttpsClientDurationHasOnlyItsAdvisedAttributesAndTheConventionsBuckets() throws Exception {
        try (LogCapture otel = LogCapture.of(ConsoleLogging.OTEL_LOGGER)) {
            Running running = start(Map.of("query.interval", "50ms"));
            try {
                otel.await(m -> m.startsWith("[query_hello_world] received: "), 5, "5 answered calls");
            } finally {
                running.host().stop();
            }
        }

        List<Metric> metrics = receiver.metrics().stream().filter(m -> m.getName().equals("http.client.request.duration"))
                .toList();
        assertTrue(!metrics.isEmpty(), () -> "expected http.client.request.duration among "
                + receiver.metrics().stream().map(Metric::getName).distinct().toList());
        List<HistogramDataPoint> points = metrics.stream().flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .toList();
        Set<String> seen = points.stream().flatMap(p -> p.getAttributesList().stream().map(KeyValue::getKey))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(CLIENT_DURATION_ATTRIBUTES.containsAll(seen),
                () -> "expected only the advised attributes " + CLIENT_DURATION_ATTRIBUTES + ", got " + seen);
        long withConventionsBuckets = points.stream()
                .filter(p -> p.getExplicitBoundsList().equals(CLIENT_DURATION_BUCKETS)).count();
        assertEquals(points.size(), withConventionsBuckets, () -> "expected the conventions' buckets on 100 % of "
                + points.size() + " points, got " + points.get(0).getExplicitBoundsList());
    }

    @Test
    void urlQueryHasTheSignatureRedacted() throws Exception {
        Running running = start(Map.of("query.interval", "1h"));
        try {
            assertEquals(200, get(new Request.Builder().url(running.uri().resolve("/helloworld?sig=abc&lang=en").toString())));
        } finally {
            running.host().stop();
        }

        Span server = receiver.awaitSpans(all -> all.stream().anyMatch(TelemetryShapeTest::hasQuery), WAIT).stream()
                .filter(TelemetryShapeTest::hasQuery).findFirst().orElseThrow();
        assertEquals("sig=REDACTED&lang=en", attribute(server.getAttributesList(), "url.query").orElseThrow());
    }

    static Stream<Arguments> propagators() {
        return Stream.of(
                Arguments.of("b3", (HeaderWriter) (trace, span) -> Map.of("b3", trace + "-" + span + "-1")),
                Arguments.of("b3multi", (HeaderWriter) (trace, span) -> Map.of(
                        "X-B3-TraceId", trace, "X-B3-SpanId", span, "X-B3-Sampled", "1")),
                Arguments.of("jaeger", (HeaderWriter) (trace, span) -> Map.of("uber-trace-id", trace + ":" + span + ":0:1")),
                Arguments.of("ottrace", (HeaderWriter) (trace, span) -> Map.of(
                        "ot-tracer-traceid", trace, "ot-tracer-spanid", span, "ot-tracer-sampled", "true")),
                Arguments.of("tracecontext,baggage", (HeaderWriter) (trace, span) -> Map.of(
                        "traceparent", "00-" + trace + "-" + span + "-01")));
    }

    @ParameterizedTest(name = "OTEL_PROPAGATORS={0}")
    @MethodSource("propagators")
    void aRequestCarryingTheConfiguredFormatContinuesItsTrace(String propagators, HeaderWriter headers) throws Exception {
        String traceId = randomHex(32);
        String spanId = randomHex(16);
        Running running = start(Map.of("query.interval", "1h", "propagators", propagators));
        try {
            Request.Builder request = new Request.Builder().url(running.uri().resolve("/helloworld?call=" + traceId).toString());
            headers.write(traceId, spanId).forEach(request::header);
            assertEquals(200, get(request));
        } finally {
            running.host().stop();
        }

        Span server = receiver.awaitSpans(all -> all.stream().anyMatch(s -> isCall(s, traceId)), WAIT).stream()
                .filter(s -> isCall(s, traceId)).findFirst().orElseThrow();
        assertEquals(traceId, hex(server.getTraceId()), "the server span continues the caller's trace");
        assertEquals(spanId, hex(server.getParentSpanId()), "the server span's parent is the caller's span");
    }

    @Test
    void underNoneARequestStartsATraceOfItsOwn() throws Exception {
        String traceId = randomHex(32);
        Running running = start(Map.of("query.interval", "1h", "propagators", "none"));
        try {
            assertEquals(200, get(new Request.Builder().url(running.uri().resolve("/helloworld?call=" + traceId).toString())
                    .header("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01")));
        } finally {
            running.host().stop();
        }

        Span server = receiver.awaitSpans(all -> all.stream().anyMatch(s -> isCall(s, traceId)), WAIT).stream()
                .filter(s -> isCall(s, traceId)).findFirst().orElseThrow();
        assertTrue(server.getParentSpanId().isEmpty(), "a root span");
        assertTrue(!hex(server.getTraceId()).equals(traceId), "a trace of its own");
    }

    // ---- helpers ----

    @FunctionalInterface
    interface HeaderWriter {
        Map<String, String> write(String traceId, String spanId);
    }

    private record Running(ServiceHost host, URI uri) {}

    /** otlp (OTLP/HTTP to the receiver), http and querier with every signal on, and the server's address. */
    private Running start(Map<String, String> more) throws Exception {
        List<Plugin> plugins = Plugins.discover(getClass().getClassLoader()).stream()
                .filter(p -> List.of("otlp", "http", "querier").contains(p.name())).toList();
        Map<String, String> flags = new HashMap<>(Map.of(
                "otlp.exporter", OtlpReceiver.HTTP,
                "otlp.endpoint", receiver.endpoint(OtlpReceiver.HTTP).toString(),
                "enable.traces", "true", "enable.metrics", "true", "enable.logs", "true",
                "http.address", "127.0.0.1", "http.port", "0",
                "work.scale", "0.05", "error.rate", "0"));
        flags.putAll(more);
        ServiceHost host = new ServiceHost(plugins, Config.of(Plugins.configKeys(plugins), flags));
        try (LogCapture http = LogCapture.of(ServiceHost.LOGGER_PREFIX + "http")) {
            host.start();
            String listening = http.await(m -> m.startsWith("listening on "), 1, "the server's address").get(0).message();
            String uri = listening.substring(listening.indexOf("try ") + 4);
            return new Running(host, URI.create(uri));
        } catch (Exception | AssertionError e) {
            host.stop();
            throw e;
        }
    }

    private int get(Request.Builder request) throws java.io.IOException {
        try (Response response = client.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    private static boolean hasQuery(Span span) {
        return span.getKind() == Span.SpanKind.SPAN_KIND_SERVER && attribute(span.getAttributesList(), "url.query").isPresent();
    }

    private static boolean isCall(Span span, String traceId) {
        return span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
                && attribute(span.getAttributesList(), "url.query").orElse("").equals("call=" + traceId);
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder(digits);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < digits; i++) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }
}
