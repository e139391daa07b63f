package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The service where OpenTelemetry's resource detectors find a container id (issue 28), without a
 * container engine: the service runs in a cgroup v1 memory group whose path ends in
 * {@code docker/<64 hex digits>}, as a Docker container's does, so that /proc/self/cgroup shows
 * the id there and instrumentation's ContainerResource reads it (the last path segment, 64 hex
 * digits). That detector once failed the start (a NoClassDefFoundError from a semconv older than
 * instrumentation needs) in every container and nothing here had run it. Skipped, with the
 * reason, where no cgroup v1 memory controller is writable.
 */
class ContainerIdIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int REQUESTS = 20;

    @Test
    void everyOtlpSignalCarriesTheContainerIdOfTheCgroupAndTheServiceServesAndStopsCleanly() throws Exception {
        String unavailable = MemoryGroup.unavailableReason();
        assumeTrue(unavailable.isEmpty(), unavailable);
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        String containerId = HexFormat.of().formatHex(bytes);
        try (MemoryGroup group = MemoryGroup.create("helloworld-it-" + ProcessHandle.current().pid() + "/docker/" + containerId);
                OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess service = LauncherProcess.exec(Path.of("/bin/sh"), environment(),
                        group.joinThenExec(LauncherProcess.dist().resolve("bin/launcher").toString(), "run",
                                "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                                "--enable-traces", "--enable-metrics", "--enable-logs",
                                "--http-port", "0", "--http-address", "127.0.0.1"))) {
            URI base = service.awaitHttpBase(PATIENCE);
            String cgroup = Files.readString(Path.of("/proc/" + service.pid() + "/cgroup"));
            assertTrue(cgroup.contains("/docker/" + containerId + "\n"), "the service's /proc/self/cgroup shows the id:\n" + cgroup);

            HelloClient client = new HelloClient(base);
            List<HelloClient.Answer> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(client.get());
            }
            // 500 is the seed's error demo, a share of the answers by design.
            assertEquals(REQUESTS, answers.stream().filter(a -> a.status() == 200 || a.status() == 500).count(),
                    "all " + REQUESTS + " requests answered by the handler (200, or 500 from its error demo): " + answers);
            otlp.awaitSpans(spans -> spans.stream().anyMatch(s -> s.getName().equals("GET /helloworld")), PATIENCE);
            otlp.awaitMetrics(metrics -> !metrics.isEmpty(), PATIENCE);
            otlp.awaitLogRecords(records -> !records.isEmpty(), PATIENCE);

            service.terminate();
            assertEquals(0, service.awaitExit(PATIENCE), "exit code after SIGTERM\n" + service.output());
            assertEveryResourceHas(containerId, "traces", otlp.traceRequests().stream()
                    .flatMap(r -> r.getResourceSpansList().stream().map(rs -> rs.getResource())).toList());
            assertEveryResourceHas(containerId, "metrics", otlp.metricsRequests().stream()
                    .flatMap(r -> r.getResourceMetricsList().stream().map(rm -> rm.getResource())).toList());
            assertEveryResourceHas(containerId, "logs", otlp.logsRequests().stream()
                    .flatMap(r -> r.getResourceLogsList().stream().map(rl -> rl.getResource())).toList());
        }
    }

    /** OTEL_METRIC_EXPORT_INTERVAL: metrics within a second, not a minute. */
    private static Map<String, String> environment() {
        return Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
                "OTEL_METRIC_EXPORT_INTERVAL", "1000");
    }

    static void assertEveryResourceHas(String containerId, String signal, List<Resource> resources) {
        assertTrue(!resources.isEmpty(), "some " + signal + " exported");
        List<Optional<String>> ids = resources.stream().map(ContainerIdIT::containerId).toList();
        assertTrue(ids.stream().allMatch(id -> id.equals(Optional.of(containerId))),
                "container.id " + containerId + " in the resource of all " + resources.size() + " " + signal
                        + " exports, got " + ids);
    }

    static Optional<String> containerId(Resource resource) {
        return resource.getAttributesList().stream().filter(a -> a.getKey().equals("container.id"))
                .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst();
    }
}
