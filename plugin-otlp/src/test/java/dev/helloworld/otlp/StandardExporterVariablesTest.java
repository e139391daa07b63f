package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER, OTEL_LOGS_EXPORTER and OTEL_SDK_DISABLED, through a
 * real host against the in-test collector: what arrives is what the variables name.
 */
class StandardExporterVariablesTest {

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** Only standard variables, as a user who knows OpenTelemetry and not helloworld writes them. */
    private Map<String, String> standardOnly(String traces, String metrics, String logs) {
        Map<String, String> env = new HashMap<>();
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.httpEndpoint().toString());
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        env.put("OTEL_TRACES_EXPORTER", traces);
        env.put("OTEL_METRICS_EXPORTER", metrics);
        env.put("OTEL_LOGS_EXPORTER", logs);
        return env;
    }

    /** Records one item of each signal through what the host published, then stops it (which flushes). */
    private static void emitOneOfEach(TestHost host) {
        OpenTelemetry otel = host.otel();
        otel.getTracer("test").spanBuilder("named span").startSpan().end();
        otel.getMeter("test").counterBuilder("named.count").build().add(1);
        Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("named record");
        host.stop();
    }

    private Set<String> signalsReceived() {
        return receiver.requests().stream().map(OtlpReceiver.Received::signal).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every combination of otlp and none over the three variables: exactly the signals named arrive. */
    @ParameterizedTest
    @ValueSource(strings = {"", "traces", "metrics", "logs", "traces,metrics", "traces,logs", "metrics,logs",
            "traces,metrics,logs"})
    void eachCombinationSendsExactlyTheSignalsItNames(String named) throws Exception {
        Set<String> expected = new TreeSet<>(named.isEmpty() ? List.of() : List.of(named.split(",")));
        Map<String, String> env = standardOnly(expected.contains("traces") ? "otlp" : "none",
                expected.contains("metrics") ? "otlp" : "none", expected.contains("logs") ? "otlp" : "none");

        try (TestHost host = TestHost.start(Map.of(), env, Map.of())) {
            emitOneOfEach(host);
        }

        assertEquals(expected, signalsReceived(), "signals received with " + env);
        if (expected.contains("traces")) {
            assertTrue(receiver.spans().stream().anyMatch(s -> s.getName().equals("named span")), "the span");
        }
        if (expected.contains("logs")) {
            assertTrue(receiver.logRecords().stream().anyMatch(r -> r.getBody().getStringValue().equals("named record")),
                    "the log record");
        }
        for (OtlpReceiver.Received request : receiver.requests()) {
            assertEquals("http", request.transport(), "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf is followed");
        }
    }

    @Test
    void tracesOnTheConsoleMetricsOverOtlpLogsNowhere() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        ConsoleLogging.install(capture, false);
        try (TestHost host = TestHost.start(Map.of(), standardOnly("console", "otlp", "none"), Map.of())) {
            emitOneOfEach(host);
        } finally {
            System.setOut(stdout);
            LogManager.getLogManager().readConfiguration();
        }
        String out = buffer.toString(StandardCharsets.UTF_8);

        assertEquals(Set.of("metrics"), signalsReceived(), "only metrics reach the collector");
        assertTrue(out.lines().anyMatch(l -> l.contains("[traces]") && l.contains("named span")),
                "the span printed on the console, in:\n" + out);
        assertTrue(out.contains("printing traces on the console"), "the start line says so, in:\n" + out);
        assertTrue(out.contains("exporting metrics over OTLP/http to " + receiver.httpEndpoint()),
                "the start line says where metrics go, in:\n" + out);
        assertTrue(out.contains("off: logs"), "logs are off, in:\n" + out);
    }

    /** helloworld's own explicit option wins over the OTEL_* variable, as everywhere else. */
    @Test
    void anExplicitExporterOptionWinsOverTheVariables() throws Exception {
        Map<String, String> flags = Map.of("otlp.exporter", "grpc", "otlp.endpoint", receiver.grpcEndpoint().toString(),
                "enable.traces", "true");
        try (TestHost host = TestHost.start(flags, Map.of("OTEL_TRACES_EXPORTER", "console"), Map.of())) {
            emitOneOfEach(host);
        }
        assertEquals(Set.of("traces"), signalsReceived());
        assertTrue(receiver.requests().stream().allMatch(r -> r.transport().equals("grpc")));
    }

    /** An explicit --no-enable-* wins too: the variable only says where a signal that is on goes. */
    @Test
    void anExplicitSwitchOffWinsOverAVariableThatNamesAnExporter() throws Exception {
        Map<String, String> env = standardOnly("otlp", "otlp", "otlp");
        try (TestHost host = TestHost.start(Map.of("enable.logs", "false"), env, Map.of())) {
            emitOneOfEach(host);
        }
        assertEquals(Set.of("metrics", "traces"), signalsReceived());
    }

    @Test
    void theSdkDisabledRecordsAndSendsNothing() throws Exception {
        Map<String, String> env = standardOnly("otlp", "otlp", "otlp");
        env.put("OTEL_SDK_DISABLED", "true");
        try (TestHost host = TestHost.start(Map.of(), env, Map.of())) {
            assertFalse(host.otel().getTracer("test").spanBuilder("x").startSpan().isRecording(),
                    "a span is not recorded with the SDK disabled");
            emitOneOfEach(host);
        }
        assertEquals(Set.of(), signalsReceived());
    }

    @ParameterizedTest
    @ValueSource(strings = {"OTEL_TRACES_EXPORTER=zipkin", "OTEL_LOGS_EXPORTER=prometheus",
            "OTEL_METRICS_EXPORTER=otlp,jaeger", "OTEL_TRACES_EXPORTER=none,otlp", "OTEL_METRICS_EXPORTER=,"})
    void anExporterThisProjectDoesNotSupportIsAUsageErrorNamingTheVariable(String setting) {
        String variable = setting.substring(0, setting.indexOf('='));
        String value = setting.substring(setting.indexOf('=') + 1);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> TestHost.config(Map.of(), Map.of(variable, value)));
        String message = e.getMessage();
        assertTrue(message.contains(variable) && message.contains(value) && message.contains("otlp, console"),
                "names the variable, the value and what is allowed: " + message);
    }

    /** The per-signal option is helloworld's own, and wins over --exporter as the variable does not. */
    @Test
    void thePerSignalOptionWinsOverAnExplicitExporter() throws ConfigException {
        Config config = TestHost.config(Map.of("otlp.exporter", "grpc", "enable.traces", "true", "enable.metrics", "true",
                "traces.exporter", "console"), Map.of("OTEL_METRICS_EXPORTER", "console"));
        SignalExporters exporters = SignalExporters.of(config);
        assertEquals(Map.of("traces", List.of(Destination.CONSOLE), "metrics", List.of(Destination.OTLP)),
                exporters.destinations());
        assertEquals(Map.of("traces", "--traces-exporter", "metrics", "--exporter"), exporters.sources());
    }

    @Test
    void theSdksLoggingNameIsTheConsole() throws ConfigException {
        Config config = TestHost.config(Map.of(), Map.of("OTEL_TRACES_EXPORTER", "logging"));
        SignalExporters exporters = SignalExporters.of(config);
        assertEquals(Map.of("traces", List.of(Destination.CONSOLE)), exporters.destinations());
        assertEquals("console", exporters.sdkNames("traces"));
    }
}
