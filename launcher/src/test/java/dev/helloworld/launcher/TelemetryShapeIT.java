package dev.helloworld.launcher;

import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the real distribution puts in its resource and on its console, read at the in-test
 * receivers: one version and one environment for every signal, no secrets from the command line,
 * and console trace ids that lead to an exported trace.
 */
class TelemetryShapeIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOKEN = "t0ken-of-TelemetryShapeIT";
    private static final String PASSWORD = "hunter2-of-TelemetryShapeIT";
    private static final Pattern TRACE_ID = Pattern.compile("\\[trace_id=([0-9a-f]{32}) span_id=[0-9a-f]{16}]");
    private static final Pattern LABELS = Pattern.compile("\\{service_environment=([^,}]+),service_version=([^,}]+)}");

    @Test
    void everySignalsResourceHasTheProfileLabelsVersionAndEnvironmentAndNoCommandLineSecret() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        // A -D property with a secret in JAVA_OPTS, and a propagator from the extension
                        // jar, which must be in the module graph of the distribution.
                        Map.of("JAVA_OPTS", "-Ddb.password=" + PASSWORD, "OTEL_METRIC_EXPORT_INTERVAL", "1000",
                                "OTEL_PROPAGATORS", "b3multi"),
                        "run", "--token", TOKEN, "--deployment-environment", "staging",
                        "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--enable-traces", "--enable-metrics", "--enable-logs", "--enable-profiling",
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-upload-interval", "1s",
                        "--http-port", "0", "--query-interval", "200ms")) {
            otlp.awaitSpan("caller/query_hello_world", PATIENCE);
            otlp.awaitMetric("requests_total", PATIENCE);
            otlp.awaitLogRecord(body -> body.startsWith("get country -> "), PATIENCE);
            PyroscopeReceiver.Upload upload = pyroscope.awaitUpload(u -> u.path().endsWith("/ingest"), PATIENCE);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());

            Matcher labels = LABELS.matcher(upload.query("name"));
            assertTrue(labels.find(), "profile labels in " + upload.query("name"));
            String environment = labels.group(1);
            String version = labels.group(2);
            assertEquals("staging", environment, "the profile's service_environment");
            assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), "the build's version as the profile's, got " + version);

            Map<String, List<Resource>> bySignal = Map.of(
                    "traces", otlp.traceRequests().stream().flatMap(r -> r.getResourceSpansList().stream())
                            .map(r -> r.getResource()).toList(),
                    "metrics", otlp.metricsRequests().stream().flatMap(r -> r.getResourceMetricsList().stream())
                            .map(r -> r.getResource()).toList(),
                    "logs", otlp.logsRequests().stream().flatMap(r -> r.getResourceLogsList().stream())
                            .map(r -> r.getResource()).toList());
            List<String> wrong = new ArrayList<>();
            int resources = 0;
            for (Map.Entry<String, List<Resource>> signal : bySignal.entrySet()) {
                assertTrue(!signal.getValue().isEmpty(), "no " + signal.getKey() + " arrived");
                for (Resource resource : signal.getValue()) {
                    resources++;
                    wrong.addAll(problems(signal.getKey(), resource, version, environment));
                }
            }
            int all = resources;
            assertEquals(List.of(), wrong, () -> "expected 100 % of the " + all + " resources right");
        }
    }

    @Test
    void underATraceRateLimitOfOneEveryTraceIdOnTheConsoleWasExported() throws Exception {
        List<String> stdout;
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--enable-traces", "--enable-logs", "--trace-rate-limit", "1",
                        "--http-port", "0", "--query-rate", "20", "--work-scale", "0")) {
            launcher.awaitStdout("[querier] service started", PATIENCE);
            // About 20 requests a second, 1 recorded: wait for a few recorded ones and many that are not.
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (answers(launcher.stdout()) < 60 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            stdout = launcher.stdout();

            Set<String> exported = otlp.spans().stream().map(s -> hex(s.getTraceId())).collect(Collectors.toSet());
            List<String> correlated = new ArrayList<>();
            for (String line : stdout) {
                Matcher id = TRACE_ID.matcher(line);
                if (id.find()) {
                    correlated.add(id.group(1));
                }
            }
            Set<String> missing = correlated.stream().filter(id -> !exported.contains(id))
                    .collect(Collectors.toCollection(TreeSet::new));
            long answered = answers(stdout);
            assertTrue(answered >= 60, "60 handled requests expected\n" + launcher.output());
            assertTrue(!correlated.isEmpty(), "some lines belong to recorded traces\n" + launcher.output());
            assertTrue(correlated.size() < answered, "most calls are over the limit, and their lines carry no id: "
                    + correlated.size() + " lines with ids for " + answered + " requests");
            assertEquals(Set.of(), missing, () -> "expected 100 % of the " + correlated.size() + " trace ids on the "
                    + "console to be exported, these were not (of " + exported.size() + " exported traces)");
        }
    }

    private static List<String> problems(String signal, Resource resource, String version, String environment) {
        List<String> problems = new ArrayList<>();
        Map<String, String> attributes = resource.getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, a -> OtlpReceiver.text(a.getValue()), (a, b) -> a));
        if (!version.equals(attributes.get("service.version"))) {
            problems.add(signal + ": service.version " + attributes.get("service.version") + ", profile " + version);
        }
        if (!environment.equals(attributes.get("deployment.environment.name"))) {
            problems.add(signal + ": deployment.environment.name " + attributes.get("deployment.environment.name")
                    + ", profile " + environment);
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            // bk.data.token is the APM backend's routing key: the token's purpose, not a leak.
            if (attribute.getValue().contains(TOKEN) && !attribute.getKey().equals("bk.data.token")) {
                problems.add(signal + ": the token in " + attribute.getKey());
            }
            if (attribute.getValue().contains(PASSWORD)) {
                problems.add(signal + ": the -D password in " + attribute.getKey());
            }
        }
        if (!attributes.containsKey("process.pid")) {
            problems.add(signal + ": no process.pid, so the process detector did not run and proves nothing");
        }
        return problems;
    }

    private static long answers(List<String> stdout) {
        // At a steady rate the querier logs only its outcomes; the server logs every request it handles.
        return stdout.stream().filter(l -> l.contains("received request: GET /helloworld")).count();
    }
}
