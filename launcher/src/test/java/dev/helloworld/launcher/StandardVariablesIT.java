package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The distribution configured only with OpenTelemetry's standard variables, as a user who knows
 * OpenTelemetry and not helloworld configures it: it exports what they name, and OTEL_SDK_DISABLED
 * is said at start and by check.
 */
class StandardVariablesIT {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void standardVariablesAloneExportWhatTheyName() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.httpEndpoint().toString(),
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                        "OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_METRICS_EXPORTER", "none",
                        "OTEL_LOGS_EXPORTER", "otlp"),
                        "run", "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            process.awaitStdout("exporting traces, logs over OTLP/http to " + collector.httpEndpoint(), START);
            collector.awaitSpan("handle/hello_world", START);
            collector.awaitLogRecords(records -> !records.isEmpty(), START);

            process.terminate();

            assertEquals(0, process.awaitExit(START), "exit code after SIGTERM\n" + process.output());
            Set<String> signals = collector.requests().stream().map(OtlpReceiver.Received::signal)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("logs", "traces"), signals, "the signals named, and only those\n" + process.output());
        }
    }

    @Test
    void anSdkDisabledBySpecificationIsSaidAtStartAndByCheck() throws Exception {
        Map<String, String> env = Map.of("OTEL_SDK_DISABLED", "true", "DEBUG", "true");
        try (LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), env,
                "run", "--http-port", "0", "--http-address", "127.0.0.1", "--no-enable-profiling")) {
            process.awaitStdout("OTEL_SDK_DISABLED=true: the OpenTelemetry SDK is off", START);
            process.awaitHttpBase(START);
            process.terminate();
            assertEquals(0, process.awaitExit(START), process.output());
        }
        try (LauncherProcess check = LauncherProcess.start(LauncherProcess.dist(), env, "check", "--no-enable-profiling")) {
            assertEquals(0, check.awaitExit(START), check.output());
            List<String> lines = check.stdout().stream().filter(l -> l.matches("^(traces|metrics|logs) .*")).toList();
            assertEquals(3, lines.size(), check.output());
            for (String line : lines) {
                assertTrue(line.contains("SKIPPED") && line.contains("OTEL_SDK_DISABLED=true"),
                        "each signal's line names the variable: " + line);
            }
        }
    }

    @Test
    void anExporterTheProjectDoesNotSupportIsAUsageError() throws Exception {
        try (LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(),
                Map.of("OTEL_TRACES_EXPORTER", "zipkin"), "run")) {
            assertEquals(2, process.awaitExit(START), process.output());
            assertEquals(List.of("launcher: invalid value 'zipkin' for OTEL_TRACES_EXPORTER: expected otlp, console, "
                    + "logging (comma-separated), or none alone"), process.stderr());
        }
    }
}
