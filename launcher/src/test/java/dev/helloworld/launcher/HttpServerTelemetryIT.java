package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's span and metrics as a backend receives them from the distribution: the
 * semantic conventions' {@code http.server.request.duration}, spans that end in order, and a
 * redacted {@code url.query}; what the conventions call experimental ({@code http.server.active_requests},
 * the body sizes) only with the Java agent's opt-in, as the agent does.
 */
class HttpServerTelemetryIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int REQUESTS = 30;

    private static final String EXPERIMENTAL = "OTEL_INSTRUMENTATION_HTTP_SERVER_EMIT_EXPERIMENTAL_TELEMETRY";
    private static final List<String> EXPERIMENTAL_METRICS = List.of("http.server.active_requests",
            "http.server.request.body.size", "http.server.response.body.size");

    @Test
    void everyRequestIsMeasuredAndEveryTraceEndsInOrder() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = start(otlp, Map.of())) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            int ok = 0;
            int failed = 0;
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("/helloworld?sig=abc&n=" + i))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    failed++;
                }
            }
            int okCount = ok;
            int failedCount = failed;

            Metric duration = otlp.awaitMetric("http.server.request.duration",
                    m -> count(m, 200) == okCount && count(m, 500) == failedCount, PATIENCE);
            assertEquals("s", duration.getUnit());
            for (HistogramDataPoint point : duration.getHistogram().getDataPointsList()) {
                assertEquals("/helloworld", attribute(point.getAttributesList(), "http.route"));
                assertEquals("GET", attribute(point.getAttributesList(), "http.request.method"));
                assertEquals(List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0),
                        point.getExplicitBoundsList(), "the semantic conventions' buckets");
            }
            // Exported with the duration, had it been recorded: every export carries every instrument.
            List<String> experimental = otlp.metrics().stream().map(Metric::getName)
                    .filter(EXPERIMENTAL_METRICS::contains).distinct().toList();
            assertEquals(List.of(), experimental, "no experimental HTTP metric without " + EXPERIMENTAL);

            List<Span> spans = otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals("GET /helloworld"))
                    .count() == REQUESTS, PATIENCE);
            Map<String, Span> byId = spans.stream().collect(Collectors.toMap(s -> OtlpReceiver.hex(s.getSpanId()),
                    Function.identity()));
            long children = spans.stream().filter(s -> !s.getParentSpanId().isEmpty()).count();
            long inOrder = spans.stream().filter(s -> !s.getParentSpanId().isEmpty())
                    .filter(s -> s.getEndTimeUnixNano() <= byId.get(OtlpReceiver.hex(s.getParentSpanId())).getEndTimeUnixNano())
                    .count();
            assertTrue(children >= 3L * REQUESTS, "three children per request: " + children);
            assertEquals(children, inOrder, "spans that end no later than their parent, of " + children);
            assertTrue(spans.stream().filter(s -> s.getName().equals("GET /helloworld"))
                    .allMatch(s -> attribute(s.getAttributesList(), "url.query").startsWith("sig=REDACTED&n=")),
                    "url.query redacted in every server span");
            assertTrue(spans.stream().filter(s -> s.getName().equals("GET /helloworld"))
                    .noneMatch(s -> OtlpReceiver.attribute(s.getAttributesList(), "http.response.body.size").isPresent()),
                    "no experimental attribute on any server span");

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
        }
    }

    @Test
    void theExperimentalTelemetryWhenAskedForWithTheJavaAgentsVariable() throws Exception {
        int requests = 10;
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = start(otlp, Map.of(EXPERIMENTAL, "true"))) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            long bodyBytes = 0;
            for (int i = 0; i < requests; i++) {
                bodyBytes += client.send(HttpRequest.newBuilder(base.resolve("/helloworld"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            long sent = bodyBytes;

            otlp.awaitMetric("http.server.active_requests", m -> m.getSum().getDataPointsList().stream()
                    .mapToLong(p -> p.getAsInt()).sum() == 0, PATIENCE);
            Metric sizes = otlp.awaitMetric("http.server.response.body.size",
                    m -> m.getHistogram().getDataPointsList().stream().mapToLong(HistogramDataPoint::getCount).sum() == requests,
                    PATIENCE);
            assertEquals(sent, sizes.getHistogram().getDataPointsList().stream().mapToDouble(HistogramDataPoint::getSum).sum(),
                    "the bytes of all " + requests + " response bodies");
            List<Span> servers = otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals("GET /helloworld"))
                    .count() == requests, PATIENCE).stream().filter(s -> s.getName().equals("GET /helloworld")).toList();
            assertEquals(requests, servers.stream().filter(s -> OtlpReceiver.attribute(s.getAttributesList(),
                    "http.response.body.size").isPresent()).count(), "http.response.body.size on every server span");

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
        }
    }

    private static LauncherProcess start(OtlpReceiver otlp, Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("OTEL_METRIC_EXPORT_INTERVAL", "500",
                "OTEL_BSP_SCHEDULE_DELAY", "200"));
        all.putAll(env);
        return LauncherProcess.start(LauncherProcess.dist(), all,
                "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                "--enable-traces", "--enable-metrics", "--http-port", "0", "--work-scale", "0",
                // No calls of the querier's own: every request is this test's.
                "--query-interval", "1h");
    }

    private static long count(Metric metric, int status) {
        return metric.getHistogram().getDataPointsList().stream()
                .filter(p -> String.valueOf(status).equals(attribute(p.getAttributesList(), "http.response.status_code")))
                .mapToLong(HistogramDataPoint::getCount).sum();
    }

    private static String attribute(List<KeyValue> attributes, String key) {
        return OtlpReceiver.attribute(attributes, key).orElse("(none)");
    }
}
