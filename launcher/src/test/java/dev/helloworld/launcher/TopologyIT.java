package dev.helloworld.launcher;

import static dev.helloworld.testkit.OtlpReceiver.attribute;
import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code run --topology} against the in-test receiver: the service graph an APM would compute
 * from the exported spans (a client span to a server span of another service, over HTTP or RPC;
 * a database or cache from a client span's {@code db.system.name}) is the one
 * {@code launcher topology} prints, edge for edge; every trace is whole across the services; each
 * logical service exports under its own {@code service.name} with the process's version,
 * environment and token, and writes its log records inside its own spans; the messaging and RPC
 * metrics count what the spans count; the stop summary counts every service's telemetry.
 */
class TopologyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOKEN = "t0ken-of-TopologyIT";
    private static final String BASE = "helloworld";
    private static final Set<String> ROLES = Set.of("frontend", "orders", "inventory", "payments");
    /** Requests into the frontend to see exported before stopping. */
    private static final int REQUESTS = 20;

    /** A span with the service.name of the resource it was exported under. */
    private record Exported(Span span, String service) {

        String id() {
            return hex(span.getSpanId());
        }

        String parent() {
            return hex(span.getParentSpanId());
        }

        String trace() {
            return hex(span.getTraceId());
        }

        String role() {
            return service.startsWith(BASE + "-") ? service.substring(BASE.length() + 1) : service;
        }

        String attribute(String key) {
            return OtlpReceiver.attribute(span.getAttributesList(), key).orElse(null);
        }
    }

    /** A log record with the service.name of the resource it was exported under. */
    private record Logged(LogRecord record, String service) {}

    /** A metric with the service.name of the resource it was exported under. */
    private record Measured(Metric metric, String service) {}

    @Test
    void theGraphOfTheExportedSpansIsTheDeclaredOneAndEveryTraceIsWhole() throws Exception {
        Set<String> declared = declaredEdges();
        assertEquals(7, declared.size(), "the declared graph: " + declared);
        assertTrue(declared.contains("orders -> payments (rpc)"), "an RPC edge: " + declared);

        List<Exported> spans;
        List<Resource> resources;
        List<Logged> logs;
        List<Measured> metrics;
        StopSummary summary;
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        Map.of("OTEL_METRIC_EXPORT_INTERVAL", "1000"),
                        "run", "--topology", "--topology-rate", "10", "--token", TOKEN,
                        "--deployment-environment", "staging",
                        "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--enable-traces", "--enable-metrics", "--enable-logs", "--http-port", "0")) {
            otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals("GET /frontend")).count() >= REQUESTS,
                    PATIENCE);
            otlp.awaitMetric("db.client.operation.duration", PATIENCE);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            assertTrue(otlp.requests().stream().allMatch(r -> TOKEN.equals(r.headers().get("x-bk-token"))),
                    "every export carries x-bk-token");
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains(TOKEN)), "the token is never printed");
            spans = otlp.traceRequests().stream().flatMap(r -> r.getResourceSpansList().stream())
                    .flatMap(rs -> rs.getScopeSpansList().stream().flatMap(ss -> ss.getSpansList().stream())
                            .map(s -> new Exported(s, attribute(rs.getResource(), "service.name").orElse("?"))))
                    .toList();
            resources = new ArrayList<>(otlp.resources());
            logs = otlp.logsRequests().stream().flatMap(r -> r.getResourceLogsList().stream())
                    .flatMap(rl -> rl.getScopeLogsList().stream().flatMap(sl -> sl.getLogRecordsList().stream())
                            .map(l -> new Logged(l, attribute(rl.getResource(), "service.name").orElse("?"))))
                    .toList();
            metrics = otlp.metricsRequests().stream().flatMap(r -> r.getResourceMetricsList().stream())
                    .flatMap(rm -> rm.getScopeMetricsList().stream().flatMap(sm -> sm.getMetricsList().stream())
                            .map(m -> new Measured(m, attribute(rm.getResource(), "service.name").orElse("?"))))
                    .toList();
            summary = StopSummary.of(launcher);
        }

        assertEquals(declared, computedEdges(spans), "the service graph of the exported spans, against 'launcher topology'");
        assertEveryTopologyTraceIsWhole(spans);
        assertEveryConsumerSpanIsLinkedToAnExportedProducerSpan(spans);
        assertEachServiceHasItsOwnResource(resources);
        assertEveryLogicalServicesLogRecordsAreInsideItsOwnSpans(logs, spans);
        assertTheMessagingAndRpcMetricsCountWhatTheSpansCount(metrics, spans);
        assertTheStopSummaryCountsEveryServicesTelemetry(summary, spans, logs);
    }

    /**
     * Every log record of a logical service carries that service's resource and the trace and span
     * ids of one of its own exported spans: 100 % of them, and every role wrote some.
     */
    private static void assertEveryLogicalServicesLogRecordsAreInsideItsOwnSpans(List<Logged> logs, List<Exported> spans) {
        Set<String> spansOfService = spans.stream().map(s -> s.service() + " " + s.trace() + " " + s.id())
                .collect(Collectors.toSet());
        List<Logged> logical = logs.stream().filter(l -> l.service().startsWith(BASE + "-")).toList();
        Set<String> roles = logical.stream().map(l -> l.service().substring(BASE.length() + 1))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(ROLES);
        expected.add("notifications");
        assertEquals(expected, roles, "every logical service writes log records");
        assertTrue(logical.stream().filter(l -> l.service().equals(BASE + "-orders")
                && OtlpReceiver.text(l.record().getBody()).equals("order placed")).count() >= REQUESTS,
                "an INFO record per order placed");
        List<String> outside = logical.stream()
                .filter(l -> !spansOfService.contains(l.service() + " " + hex(l.record().getTraceId()) + " "
                        + hex(l.record().getSpanId())))
                .map(l -> l.service() + ": " + OtlpReceiver.text(l.record().getBody())).toList();
        assertEquals(List.of(), outside, () -> "expected 100 % of the " + logical.size()
                + " log records of the logical services inside a span of their own service");
    }

    /**
     * The queue's and the RPC's metrics, as the final export has them (cumulative), count exactly
     * the producer, consumer, and RPC client and server spans exported.
     */
    private static void assertTheMessagingAndRpcMetricsCountWhatTheSpansCount(List<Measured> metrics,
            List<Exported> spans) {
        long producers = spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_PRODUCER).count();
        long consumers = spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER).count();
        long rpcClients = rpcSpans(spans, Span.SpanKind.SPAN_KIND_CLIENT);
        long rpcServers = rpcSpans(spans, Span.SpanKind.SPAN_KIND_SERVER);
        assertTrue(producers >= REQUESTS && rpcClients >= REQUESTS, producers + " producer, " + rpcClients + " RPC client spans");
        Map<String, Long> expected = new java.util.TreeMap<>(Map.of(
                "orders messaging.client.sent.messages", producers,
                "orders messaging.client.operation.duration", producers,
                "notifications messaging.client.consumed.messages", consumers,
                "notifications messaging.process.duration", consumers,
                "orders rpc.client.call.duration", rpcClients,
                "payments rpc.server.call.duration", rpcServers));
        Map<String, Long> measured = new java.util.TreeMap<>();
        for (String key : expected.keySet()) {
            String[] roleAndName = key.split(" ");
            measured.put(key, metrics.stream()
                    .filter(m -> m.service().equals(BASE + "-" + roleAndName[0]) && m.metric().getName().equals(roleAndName[1]))
                    .mapToLong(m -> count(m.metric())).max().orElse(-1));
        }
        assertEquals(expected, measured, "each metric's final count against the spans' count");
    }

    private static long rpcSpans(List<Exported> spans, Span.SpanKind kind) {
        return spans.stream().filter(s -> s.span().getKind() == kind && "grpc".equals(s.attribute("rpc.system.name"))).count();
    }

    /** A counter's sum, or a histogram's count, over its points: one export's cumulative total. */
    private static long count(Metric metric) {
        return metric.hasSum() ? metric.getSum().getDataPointsList().stream().mapToLong(p -> p.getAsInt()).sum()
                : metric.getHistogram().getDataPointsList().stream().mapToLong(p -> p.getCount()).sum();
    }

    /** The process's summary counts the logical services' spans and records too, all exported. */
    private static void assertTheStopSummaryCountsEveryServicesTelemetry(StopSummary summary, List<Exported> spans,
            List<Logged> logs) {
        StopSummary.Items counted = summary.spansOrFail();
        assertTrue(counted.balanced(), "recorded = exported + discarded: " + summary.line());
        assertEquals(spans.size(), counted.recorded(), "every span received, of every service, counted: " + summary.line());
        assertEquals(counted.recorded(), counted.exported(), summary.line());
        StopSummary.Items records = summary.logsOrFail();
        assertTrue(records.balanced(), "recorded = exported + discarded: " + summary.line());
        assertEquals(logs.size(), records.recorded(), "every log record received counted: " + summary.line());
        assertEquals(records.recorded(), records.exported(), summary.line());
    }

    /** {@code launcher topology}, one edge a line. */
    private static Set<String> declaredEdges() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "topology")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.stdout().stream().allMatch(l -> l.matches("\\S+ -> \\S+ \\((http|rpc|database|cache|queue)\\)")),
                    "one 'caller -> callee (kind)' a line\n" + launcher.output());
            return new TreeSet<>(launcher.stdout());
        }
    }

    /**
     * As an APM's service graph: a client span whose child server span belongs to another service
     * is an HTTP edge; a client span with {@code db.system.name} an edge to that system (and its
     * namespace), a cache for redis. The client span's {@code server.port} must be the port of the
     * server span it led to.
     */
    private static Set<String> computedEdges(List<Exported> spans) {
        Map<String, List<Exported>> childrenOf = spans.stream().collect(Collectors.groupingBy(Exported::parent));
        Set<String> edges = new TreeSet<>();
        List<String> wrongPorts = new ArrayList<>();
        for (Exported client : spans) {
            String queue = client.attribute("messaging.system") + "/" + client.attribute("messaging.destination.name");
            if (client.span().getKind() == Span.SpanKind.SPAN_KIND_PRODUCER) {
                edges.add(client.role() + " -> " + queue + " (queue)");
            }
            if (client.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER) {
                edges.add(queue + " -> " + client.role() + " (queue)");
            }
            if (client.span().getKind() != Span.SpanKind.SPAN_KIND_CLIENT) {
                continue;
            }
            String system = client.attribute("db.system.name");
            if (system != null) {
                String namespace = client.attribute("db.namespace");
                edges.add(client.role() + " -> " + (namespace == null ? system : system + "/" + namespace)
                        + (system.equals("redis") ? " (cache)" : " (database)"));
                continue;
            }
            String kind = client.attribute("rpc.system.name") == null ? "http" : "rpc";
            for (Exported server : childrenOf.getOrDefault(client.id(), List.of())) {
                if (server.span().getKind() != Span.SpanKind.SPAN_KIND_SERVER || server.service().equals(client.service())) {
                    continue;
                }
                edges.add(client.role() + " -> " + server.role() + " (" + kind + ")");
                if (!String.valueOf(client.attribute("server.port")).equals(server.attribute("server.port"))) {
                    wrongPorts.add(client.span().getName() + " of " + client.service() + ": server.port "
                            + client.attribute("server.port") + ", the server's " + server.attribute("server.port"));
                }
            }
        }
        assertEquals(List.of(), wrongPorts, "every client span names the port of the server it reached");
        return edges;
    }

    /** Every trace that entered at the frontend: all its spans' parents exported, and every service in it. */
    private static void assertEveryTopologyTraceIsWhole(List<Exported> spans) {
        Map<String, List<Exported>> byTrace = spans.stream().collect(Collectors.groupingBy(Exported::trace));
        List<List<Exported>> topology = byTrace.values().stream()
                .filter(trace -> trace.stream().anyMatch(s -> s.span().getName().equals("GET /frontend")))
                .toList();
        assertTrue(topology.size() >= REQUESTS, topology.size() + " traces through the frontend");
        List<String> broken = new ArrayList<>();
        for (List<Exported> trace : topology) {
            Set<String> ids = trace.stream().map(Exported::id).collect(Collectors.toSet());
            List<String> orphans = trace.stream().filter(s -> !s.span().getParentSpanId().isEmpty())
                    .filter(s -> !ids.contains(s.parent())).map(s -> s.span().getName() + "@" + s.service()).toList();
            Set<String> roles = trace.stream().map(Exported::role).collect(Collectors.toSet());
            if (!orphans.isEmpty() || !roles.equals(ROLES)) {
                broken.add(trace.get(0).trace() + ": parents missing for " + orphans + ", services " + roles);
            }
        }
        assertEquals(List.of(), broken, () -> "expected 100 % of the " + topology.size() + " traces whole");
    }

    /** The queue's two sides: each consumer span links to a producer span that was exported, of another trace. */
    private static void assertEveryConsumerSpanIsLinkedToAnExportedProducerSpan(List<Exported> spans) {
        Map<String, Exported> producers = spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_PRODUCER)
                .collect(Collectors.toMap(Exported::id, s -> s));
        List<Exported> consumers = spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CONSUMER)
                .toList();
        assertTrue(consumers.size() >= REQUESTS, consumers.size() + " consumer spans");
        List<String> unlinked = consumers.stream().filter(c -> c.span().getLinksList().stream()
                        .noneMatch(link -> {
                            Exported producer = producers.get(hex(link.getSpanId()));
                            return producer != null && producer.trace().equals(hex(link.getTraceId()));
                        }))
                .map(c -> c.trace() + " links " + c.span().getLinksList().size()).toList();
        assertEquals(List.of(), unlinked, () -> "expected 100 % of the " + consumers.size()
                + " consumer spans linked to an exported producer span");
        assertEquals(producers.size(), consumers.size(), "one consumer span per message sent");
    }

    private static void assertEachServiceHasItsOwnResource(List<Resource> resources) {
        Function<Resource, String> name = r -> attribute(r, "service.name").orElse("?");
        Set<String> names = resources.stream().map(name).collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = new TreeSet<>(ROLES.stream().map(role -> BASE + "-" + role).toList());
        expected.add(BASE + "-notifications");
        expected.add(BASE);
        assertEquals(expected, names, "the seed's service and one per role, across every signal");
        List<String> wrong = resources.stream()
                .filter(r -> !attribute(r, "bk.data.token").orElse("").equals(TOKEN)
                        || !attribute(r, "deployment.environment.name").orElse("").equals("staging"))
                .map(name).toList();
        assertEquals(List.of(), wrong, "every resource carries the process's token and environment");
        Set<String> versions = resources.stream().map(r -> attribute(r, "service.version").orElse("?"))
                .collect(Collectors.toSet());
        assertEquals(1, versions.size(), "one service.version for every service: " + versions);
    }
}
