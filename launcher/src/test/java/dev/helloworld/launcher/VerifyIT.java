package dev.helloworld.launcher;

import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.json.Json;
import dev.helloworld.testkit.LokiFake;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.TraceQueryFake;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/launcher verify}: the manifest of a known-answer run is what the collector received,
 * item for item.
 */
class VerifyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(150);
    private static final String TOKEN = "verify-token-5521";
    /** The service's own metrics: the ones with an answer known from the requests made. */
    private static final List<String> KNOWN_METRICS = List.of("requests_total", "task_execute_duration_seconds",
            "http.server.request.duration", "http.client.request.duration");

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theManifestOfARunIsWhatTheCollectorDecodedItemForItem() throws Exception {
        // A minute, as issue 30 asks: some 600 requests, about 180 of them failed; and an error burst
        // in the middle, whose run the manifest records (issue 32).
        Path file = dir.resolve("manifest.json");
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("TOKEN", TOKEN),
                        "verify", "--duration", "60s", "--manifest", file.toString(),
                        "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                        "--enable-traces", "--enable-metrics", "--enable-logs", "--service-name", "verify-it",
                        "--http-port", "0", "--query-rate", "10", "--work-scale", "0", "--error-rate", "0.3",
                        "--scenario", "error-burst:rate=0.5,after=20s,for=10s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            Map<String, Object> manifest = (Map<String, Object>) Json.parse(Files.readString(file));
            List<Map<String, Object>> traces = (List<Map<String, Object>>) manifest.get("traces");

            assertTrue(traces.size() >= 20, "10 requests a second for 6 s, got " + traces.size() + " traces");
            assertEquals(spansByTrace(traces), collectorSpansByTrace(collector), "every trace, span id and name");
            assertEquals(traces.stream().filter(t -> (Boolean) t.get("failed")).map(t -> t.get("trace_id")).collect(
                    Collectors.toCollection(TreeSet::new)), collectorFailedTraces(collector), "the failed traces");
            assertFalse(collectorFailedTraces(collector).isEmpty(), "an error rate of 0.3 fails some requests");
            assertEquals(logsByTrace(manifest), collectorLogsByTrace(collector), "the log records per trace");
            assertEquals(knownMetrics(manifest), collectorKnownMetrics(collector), "the metric values at the end");
            String runId = (String) manifest.get("run_id");
            assertTrue(collector.resources().stream().allMatch(r ->
                    OtlpReceiver.attribute(r, "helloworld.run.id").equals(java.util.Optional.of(runId))),
                    "every resource of every signal carries helloworld.run.id=" + runId);
            Map<String, Object> identity = (Map<String, Object>) manifest.get("identity");
            assertEquals("verify-it", identity.get("service_name"));
            assertEquals("ve****", identity.get("token"), "the token masked");
            assertFalse(Files.readString(file).contains(TOKEN), "the token leaked into the manifest");
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.matches("run\\s+OK\\s+.*run id " + runId + ".*")),
                    launcher.output());
            assertIncidentAsRecorded(manifest, collector);
        }
    }

    /** The manifest's line of the burst: what, on what, and when, within a second of its recorded start and end. */
    @SuppressWarnings("unchecked")
    private static void assertIncidentAsRecorded(Map<String, Object> manifest, OtlpReceiver collector) {
        List<Map<String, Object>> incidents = (List<Map<String, Object>>) manifest.get("incidents");
        assertEquals(1, incidents.size(), "one incident ran: " + incidents);
        Map<String, Object> burst = incidents.get(0);
        assertEquals("error-burst", burst.get("scenario"));
        assertEquals("rate=0.5,route=*,after=20s,for=10s", burst.get("parameters"));
        assertEquals("*", burst.get("target"), "every route");
        assertEquals("its window ended", burst.get("ended"));
        for (String edge : List.of("start", "end")) {
            String body = "scenario error-burst " + (edge.equals("start") ? "started" : "ended: its window ended");
            long recordedMs = collector.logRecords().stream().filter(r -> r.getBody().getStringValue().startsWith(body))
                    .mapToLong(r -> r.getTimeUnixNano() / 1_000_000).findFirst()
                    .orElseThrow(() -> new AssertionError("no log record '" + body + "' arrived"));
            long manifestMs = (Long) burst.get(edge + "_unix_ms");
            System.out.printf("[VerifyIT] the incident's %s: manifest %s, %+d ms from its log record%n", edge,
                    burst.get(edge), manifestMs - recordedMs);
            assertEquals(recordedMs, manifestMs, 1000, "the incident's " + edge + ", ms, against its log record");
            assertEquals(Instant.ofEpochMilli(manifestMs), Instant.parse((String) burst.get(edge)),
                    "the " + edge + " in UTC, as text too");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonReportReadsAsJsonWithOneObjectPerCheckAndTheTokenMasked() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                TraceQueryFake tempo = TraceQueryFake.start(collector, TraceQueryFake.Flavour.TEMPO, span -> true, "");
                LokiFake loki = LokiFake.start(collector, LokiFake.Faults.none());
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("TOKEN", TOKEN),
                        "verify", "--duration", "3s", "--manifest", dir.resolve("m.json").toString(), "--output", "json",
                        "--tempo", tempo.baseUri().toString(), "--loki", loki.baseUri().toString(), "--deadline", "30s",
                        "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                        "--enable-traces", "--enable-logs", "--http-port", "0", "--query-rate", "5", "--work-scale", "0")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            Map<String, Object> report = (Map<String, Object>) Json.parse(String.join("\n", launcher.stdout()));
            assertEquals(true, report.get("ok"), launcher.output());
            List<Map<String, Object>> checks = (List<Map<String, Object>>) report.get("signals");
            assertEquals(List.of("run", "traces", "logs"), checks.stream().map(c -> c.get("signal")).toList());
            assertTrue(checks.stream().allMatch(c -> "OK".equals(c.get("status"))), launcher.output());
            assertFalse(launcher.output().contains(TOKEN), "the token leaked:\n" + launcher.output());
        }
    }

    @Test
    void aRunWhoseTelemetryWasNotDeliveredFailsItsRunLineAndExitsOne() throws Exception {
        int nothingListens = PrometheusServer.freePort();
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "verify", "--duration", "2s", "--manifest", dir.resolve("m.json").toString(),
                "--exporter", "http", "--endpoint", "http://127.0.0.1:" + nothingListens, "--enable-traces",
                "--shutdown-timeout", "2s", "--http-port", "0", "--query-rate", "5", "--work-scale", "0")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.matches("run\\s+FAILED\\s+.*run id [0-9a-f]{16}: \\d+ traces .*; "
                    + "the run did not stop cleanly: see the \\[otlp\\] lines above for what was not delivered")),
                    launcher.output());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, TreeSet<String>> spansByTrace(List<Map<String, Object>> traces) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (Map<String, Object> trace : traces) {
            TreeSet<String> spans = new TreeSet<>();
            for (Map<String, Object> span : (List<Map<String, Object>>) trace.get("spans")) {
                spans.add(span.get("span_id") + " " + span.get("name"));
            }
            assertEquals((long) spans.size(), trace.get("span_count"));
            out.put((String) trace.get("trace_id"), spans);
        }
        return out;
    }

    private static Map<String, TreeSet<String>> collectorSpansByTrace(OtlpReceiver collector) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        collector.spans().forEach(s -> out.computeIfAbsent(hex(s.getTraceId()), id -> new TreeSet<>())
                .add(hex(s.getSpanId()) + " " + s.getName()));
        return out;
    }

    private static TreeSet<String> collectorFailedTraces(OtlpReceiver collector) {
        return collector.spans().stream().filter(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR)
                .map(s -> hex(s.getTraceId())).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Trace id (empty for none) to count; traces without a record left out. */
    @SuppressWarnings("unchecked")
    private static Map<String, Long> logsByTrace(Map<String, Object> manifest) {
        Map<String, Long> out = new TreeMap<>();
        for (Map<String, Object> trace : (List<Map<String, Object>>) manifest.get("traces")) {
            if ((Long) trace.get("log_records") > 0) {
                out.put((String) trace.get("trace_id"), (Long) trace.get("log_records"));
            }
        }
        if ((Long) manifest.get("log_records_without_trace") > 0) {
            out.put("", (Long) manifest.get("log_records_without_trace"));
        }
        return out;
    }

    private static Map<String, Long> collectorLogsByTrace(OtlpReceiver collector) {
        return collector.logRecords().stream().collect(Collectors.groupingBy(r -> hex(r.getTraceId()), TreeMap::new,
                Collectors.counting()));
    }

    /** "name {attributes}" to the value of a sum or the count of a histogram. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> knownMetrics(Map<String, Object> manifest) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, Object> point : (List<Map<String, Object>>) manifest.get("metrics")) {
            if (KNOWN_METRICS.contains(point.get("name"))) {
                Object value = "sum".equals(point.get("type")) ? point.get("value") : point.get("count");
                out.put(point.get("name") + " " + new TreeMap<>((Map<String, Object>) point.get("attributes")),
                        String.valueOf(value));
            }
        }
        return out;
    }

    /** The same from the collector: the last export of each point wins, as exports are cumulative. */
    private static Map<String, String> collectorKnownMetrics(OtlpReceiver collector) {
        Map<String, String> out = new TreeMap<>();
        for (Metric metric : collector.metrics()) {
            if (!KNOWN_METRICS.contains(metric.getName())) {
                continue;
            }
            switch (metric.getDataCase()) {
                case SUM -> metric.getSum().getDataPointsList().forEach(p -> out.put(key(metric, p.getAttributesList()),
                        p.hasAsInt() ? String.valueOf(p.getAsInt()) : String.valueOf(p.getAsDouble())));
                case HISTOGRAM -> metric.getHistogram().getDataPointsList().forEach(p -> out.put(
                        key(metric, p.getAttributesList()), String.valueOf(p.getCount())));
                default -> { }
            }
        }
        return out;
    }

    private static String key(Metric metric, List<KeyValue> attributes) {
        Map<String, String> sorted = new TreeMap<>();
        attributes.forEach(kv -> sorted.put(kv.getKey(), OtlpReceiver.text(kv.getValue())));
        return metric.getName() + " " + sorted;
    }
}
