package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled plugins' own keys, with the real distribution: a bad value by flag or by variable
 * ends in exit code 2 and exactly one line on standard error naming the flag or variable, the
 * value and what is allowed, with nothing started (BadInputIT does the same for core's keys).
 */
class PluginBadInputIT {

    private static final String DURATION = "expected a positive duration such as 500ms, 3s, 1m or 1h";
    private static final String URL = "expected an http:// or https:// URL with a host, such as http://localhost:4317";
    private static final String LABEL = "expected a non-empty value without spaces, braces, commas or '='";
    private static final String SDK_DURATION = "whole number of milliseconds, or one with a unit: 500ms, 5s, 1m, 1h, 1d";
    private static final String EXPORTERS = "expected otlp, console, logging (comma-separated), or none alone";
    private static final String METRICS_EXPORTERS = "expected otlp, console, logging, prometheus (comma-separated), or none alone";
    private static final String NOT_PEM = "expected a PEM file of CA certificates (-----BEGIN CERTIFICATE-----); "
            + "this file is not PEM";

    static Stream<Arguments> badInputs() {
        // One bad value per key, each given by flag and by variable: every case is a JVM start
        // (about a second), so the table favours breadth over more values per key, which core's
        // unit tests cover.
        return Stream.of(
                bad("--work-scale", "WORK_SCALE", "101", "expected a number from 0 to 100"),
                bad("--error-rate", "ERROR_RATE", "10%", "expected a number from 0 to 1"),
                bad("--query-interval", "QUERY_INTERVAL", "3", DURATION),
                bad("--query-target", "QUERY_TARGET", "localhost:8080", URL),
                bad("--query-target", "QUERY_TARGET", "http://127.0.0.1:99999", URL),
                bad("--query-rate", "QUERY_RATE", "fast", "expected a number from 0 to 10000"),
                bad("--management-port", "MANAGEMENT_PORT", "65536", "expected a port from 1 to 65535, 0 for any free port, or off"),
                bad("--query-concurrency", "QUERY_CONCURRENCY", "1024", "expected a whole number from 1 to 128"),
                bad("--profiling-upload-interval", "PROFILING_UPLOAD_INTERVAL", "500ms",
                        "expected a duration of at least 1s, such as 10s or 1m"),
                bad("--profiling-tmp-dir", "PYROSCOPE_TMP_DIR", " ", "expected a folder path"),
                bad("--service-version", "SERVICE_VERSION", "1.0 beta", LABEL),
                bad("--deployment-environment", "DEPLOYMENT_ENVIRONMENT", "prod,eu", LABEL),
                bad("--otlp-certificate", "OTLP_CERTIFICATE", "/nonexistent/ca.pem",
                        "expected the path of a readable PEM file"),
                bad("--trace-rate-limit", "TRACE_RATE_LIMIT", "-1", "expected a whole number from 0 to 1000000"),
                bad("--propagators", "OTEL_PROPAGATORS", "xray", "expected a comma-separated list of "
                        + "tracecontext, baggage, b3, b3multi, jaeger, ottrace, or none alone"),
                // The SDK's own variables, checked before anything starts and named as written.
                bad("--metric-export-interval", "OTEL_METRIC_EXPORT_INTERVAL", "-5", "expected a positive " + SDK_DURATION),
                bad("--otlp-compression", "OTEL_EXPORTER_OTLP_COMPRESSION", "zstd", "expected gzip or none"),
                bad("--otlp-timeout", "OTEL_EXPORTER_OTLP_TIMEOUT", "abc", "expected a " + SDK_DURATION),
                bad("--resource-attributes", "OTEL_RESOURCE_ATTRIBUTES", "foo,bar=", "expected key=value pairs "
                        + "separated by commas, each with a key and a value (percent-encode a comma or '=' in a value)"),
                bad("--otlp-certificate", "OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/hostname", NOT_PEM),
                bad("--otlp-certificate", "OTLP_CERTIFICATE", "/etc/hostname", NOT_PEM),
                bad("--traces-exporter", "OTEL_TRACES_EXPORTER", "zipkin", EXPORTERS),
                bad("--metrics-exporter", "OTEL_METRICS_EXPORTER", "jaeger", METRICS_EXPORTERS),
                bad("--logs-exporter", "OTEL_LOGS_EXPORTER", "otlp,jaeger", EXPORTERS))
                .flatMap(b -> Stream.of(b.byFlag(), b.byVariable()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void exitsTwoWithOneLineNamingTheInputAndStartsNothing(String name, Map<String, String> env, List<String> args,
            String expected) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env, args.toArray(String[]::new))) {
            int code = launcher.awaitExit(Duration.ofSeconds(30));
            assertEquals(2, code, "exit code\n" + launcher.output());
            assertEquals(List.of(expected), launcher.stderr(), "standard error");
            assertEquals(List.of(), launcher.stdout(), "nothing may start, so nothing is logged");
        }
    }

    /**
     * Two values that are each fine but clash: found by the http plugin as it starts, before it
     * binds, so the exporter that started before it has logged; still one line and exit 2, and
     * never the "already in use" of a second bind.
     */
    @Test
    void aManagementPortEqualToTheHttpPortIsAUsageError() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("MANAGEMENT_PORT", "18080"),
                "run", "--http-port", "18080", "--exporter", "none")) {
            assertEquals(2, launcher.awaitExit(Duration.ofSeconds(30)), "exit code\n" + launcher.output());
            assertEquals(List.of("launcher: invalid value '18080' for MANAGEMENT_PORT: expected a port other than "
                    + "--http-port's (18080), 0 for any free port, or off"), launcher.stderr(), "standard error");
            assertTrue(launcher.stdout().stream().noneMatch(l -> l.contains("[http]") || l.contains("in use")),
                    "http never started\n" + launcher.output());
        }
    }

    private record Bad(String flag, String variable, String value, String allowed) {
        Arguments byFlag() {
            List<String> args = new ArrayList<>(List.of("run", "--http-port", "0"));
            args.add(flag + "=" + value);
            return Arguments.of(flag + "=" + value, Map.of(), args,
                    "launcher: invalid value '" + value + "' for " + flag + ": " + allowed);
        }

        Arguments byVariable() {
            return Arguments.of(variable + "=" + value, Map.of(variable, value), List.of("run", "--http-port", "0"),
                    "launcher: invalid value '" + value + "' for " + variable + ": " + allowed);
        }
    }

    private static Bad bad(String flag, String variable, String value, String allowed) {
        return new Bad(flag, variable, value, allowed);
    }
}
