package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An empty variable is as if unset, as the OpenTelemetry specification says for OTEL_* and as
 * compose files and charts mean by {@code VAR: ""} for ours: the real distribution and image start,
 * show the defaults and export.
 */
class EmptyVariablesIT {

    private static final Duration START = Duration.ofSeconds(60);

    /** The standard variables that stand in for a setting, and each of ours, all set but empty. */
    private static final List<String> EMPTY = List.of("OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_PROTOCOL",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "SERVICE_NAME", "OTLP_EXPORTER_TYPE", "OTLP_ENDPOINT", "TOKEN", "DEBUG",
            "ENABLE_TRACES", "HTTP_PORT", "HTTP_ADDRESS", "SHUTDOWN_TIMEOUT", "PROFILING_ENDPOINT", "QUERY_INTERVAL",
            "TRACE_RATE_LIMIT", "OTLP_CERTIFICATE", "PYROSCOPE_TMP_DIR");

    /** Standard variables that only the OpenTelemetry SDK reads, all of which it documents. */
    private static final List<String> SDK_VARIABLES = List.of("OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
            "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
            "OTEL_RESOURCE_ATTRIBUTES", "OTEL_PROPAGATORS", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_METRIC_EXPORT_INTERVAL",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    @Test
    void everyEmptyVariableGivesWayToTheDefault() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), empty(), "config")) {
            assertEquals(0, launcher.awaitExit(START), "exit code of config with every variable empty\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error");
            // OPTION  VARIABLE  VALUE  SOURCE, columns two spaces or more apart.
            Map<String, String> sourceByVariable = new HashMap<>();
            for (String row : launcher.stdout().subList(1, launcher.stdout().size())) {
                List<String> columns = List.of(row.split(" {2,}"));
                sourceByVariable.put(columns.get(1), columns.get(columns.size() - 1));
            }
            List<String> ours = EMPTY.stream().filter(v -> !v.startsWith("OTEL_")).toList();
            for (String variable : ours) {
                assertTrue(sourceByVariable.getOrDefault(variable, "no row").startsWith("default"),
                        "an empty " + variable + " (and an empty OTEL_* behind it) leaves the default: "
                                + sourceByVariable.get(variable) + "\n" + String.join("\n", launcher.stdout()));
            }
            assertEquals(ours.size(), ours.stream().filter(sourceByVariable::containsKey).count(),
                    "a row for each of our variables: " + sourceByVariable.keySet());
        }
    }

    @Test
    void theServiceRunsWithEveryVariableEmpty() throws Exception {
        Map<String, String> env = empty();
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env, "run", "--exporter", "none",
                "--http-port", "0", "--http-address", "127.0.0.1")) {
            launcher.awaitStdout("[http] service started", START);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dist", "image"})
    void theSdksOwnStandardVariablesSetButEmptyAreUnsetToo(String install, @TempDir Path dir) throws Exception {
        // The SDK reads OTEL_TRACES_SAMPLER= as a sampler named "" and fails; bin/launcher unsets them.
        Path home = install.equals("dist") ? LauncherProcess.dist() : ImageIT.unpack(ImageIT.archive(), dir);
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LAUNCHER_CDS", "off"));
        if (install.equals("dist")) {
            env.put("JAVA_HOME", System.getProperty("java.home"));
        }
        SDK_VARIABLES.forEach(variable -> env.put(variable, ""));
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env, "run", "--exporter", "http",
                        "--enable-traces", "--endpoint", collector.httpEndpoint().toString(), "--http-port", "0",
                        "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            collector.awaitSpan("handle/hello_world", START);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error");
        }
    }

    private static Map<String, String> empty() {
        Map<String, String> env = new HashMap<>();
        EMPTY.forEach(variable -> env.put(variable, ""));
        return env;
    }
}
