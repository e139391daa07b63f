package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JVM's runtime metrics, exported by the distribution beside the service's own. */
class JvmMetricsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Each stable runtime metric the service promises (README, What it emits), with its unit. */
    private static final Map<String, String> PROMISED = Map.of(
            "jvm.memory.used", "By",
            "jvm.memory.committed", "By",
            "jvm.memory.used_after_last_gc", "By",
            "jvm.gc.duration", "s",
            "jvm.thread.count", "{thread}",
            "jvm.class.count", "{class}",
            "jvm.class.loaded", "{class}",
            "jvm.cpu.time", "s",
            "jvm.cpu.count", "{cpu}",
            "jvm.cpu.recent_utilization", "1");

    /** The distribution on a full JDK, and the runtime image, whose JDK has only the modules it links. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dist", "image"})
    void everyRuntimeMetricArrivesWithItsUnitAndChangesFromOneExportToTheNext(String build) throws Exception {
        // The image's class data sharing archive stays off: training would write into target/image.
        Path home = build.equals("dist") ? LauncherProcess.dist() : Path.of(System.getProperty("helloworld.image"));
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = service(home, otlp, Map.of("LAUNCHER_CDS", "off"))) {
            // Three exports with every promised metric: the values of the last two are compared.
            List<ExportMetricsServiceRequest> exports = awaitExportsWith(otlp, PROMISED.keySet(), 3);

            Map<String, String> units = new TreeMap<>();
            for (Metric metric : otlp.metrics()) {
                if (PROMISED.containsKey(metric.getName())) {
                    units.put(metric.getName(), metric.getUnit());
                }
            }
            assertEquals(new TreeMap<>(PROMISED), units, "the runtime metrics and their units");

            Metric memory = metric(exports.get(exports.size() - 1), "jvm.memory.used");
            Set<String> types = memory.getSum().getDataPointsList().stream()
                    .map(p -> OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.type").orElse("(none)"))
                    .collect(Collectors.toSet());
            assertEquals(Set.of("heap", "non_heap"), types, "jvm.memory.used per memory type");
            assertTrue(memory.getSum().getDataPointsList().stream()
                    .allMatch(p -> OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.pool.name").isPresent()),
                    "jvm.memory.used per pool");

            double before = cpuSeconds(exports.get(exports.size() - 2));
            double after = cpuSeconds(exports.get(exports.size() - 1));
            assertTrue(after > before, "jvm.cpu.time grows while the querier calls: " + before + " then " + after);

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertEquals(List.of(), launcher.stderr(), "nothing on standard error");
        }
    }

    @Test
    void theSwitchLeavesOnlyTheServicesOwnMetrics() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = service(LauncherProcess.dist(), otlp, Map.of("JVM_METRICS", "false"))) {
            // Two exports of the service's own metrics, so that a runtime metric had its chance.
            awaitExportsWith(otlp, Set.of("requests_total"), 2);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            Set<String> runtime = otlp.metrics().stream().map(Metric::getName).filter(n -> n.startsWith("jvm."))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), runtime, "no runtime metric with JVM_METRICS=false");
        }
    }

    private static LauncherProcess service(Path home, OtlpReceiver otlp, Map<String, String> env) throws Exception {
        Map<String, String> all = new TreeMap<>(env);
        all.put("OTEL_METRIC_EXPORT_INTERVAL", "500");
        return LauncherProcess.start(home, all,
                "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(), "--enable-metrics",
                "--http-port", "0", "--query-interval", "100ms", "--work-scale", "0");
    }

    /** Waits for {@code count} metric exports each holding every one of {@code names}. */
    private static List<ExportMetricsServiceRequest> awaitExportsWith(OtlpReceiver otlp, Set<String> names, int count) {
        otlp.awaitMetrics(all -> exportsWith(otlp, names).size() >= count, PATIENCE);
        return exportsWith(otlp, names);
    }

    private static List<ExportMetricsServiceRequest> exportsWith(OtlpReceiver otlp, Set<String> names) {
        return otlp.metricsRequests().stream().filter(r -> names(r).containsAll(names)).toList();
    }

    private static Set<String> names(ExportMetricsServiceRequest request) {
        return request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream()).map(Metric::getName).collect(Collectors.toSet());
    }

    private static Metric metric(ExportMetricsServiceRequest request, String name) {
        return request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " in " + names(request)));
    }

    private static double cpuSeconds(ExportMetricsServiceRequest request) {
        return metric(request, "jvm.cpu.time").getSum().getDataPointsList().stream()
                .mapToDouble(NumberDataPoint::getAsDouble).sum();
    }
}
