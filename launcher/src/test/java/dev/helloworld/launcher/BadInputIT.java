package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input ends the same way: exit code 2, exactly one line on standard error that
 * names the flag or variable, the bad value and what is allowed, and nothing started.
 */
class BadInputIT {

    private static final String BOOL = "expected true/false, 1/0, yes/no or on/off";
    private static final String URL = "expected an http:// or https:// URL with a host, such as http://localhost:4317";
    private static final String PORT = "expected a port from 1 to 65535, or 0 for any free port";
    private static final String DURATION = "expected a positive duration such as 500ms, 3s, 1m or 1h";
    private static final String TEXT = "expected a non-empty value";
    private static final String BLANK = "expected a value that is not only spaces";

    @TempDir
    static Path dir;

    private static Path home;

    @BeforeAll
    static void distWithTheSamplePlugin() throws Exception {
        home = LauncherProcess.copyDist(dir, true);
        Files.copy(LauncherProcess.samplePluginJar(), home.resolve("lib").resolve("plugin-sample.jar"));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                flag("invalid value 'ture' for --enable-traces: " + BOOL, "--enable-traces=ture"),
                flag("invalid value '2' for --debug: " + BOOL, "--debug=2"),
                flag("invalid value '65536' for --http-port: " + PORT, "--http-port", "65536"),
                flag("invalid value '-1' for --http-port: " + PORT, "--http-port=-1"),
                flag("invalid value 'abc' for --http-port: " + PORT, "--http-port", "abc"),
                flag("invalid value '' for --http-port: " + PORT, "--http-port", ""),
                flag("invalid value 'ftp://collector:21' for --endpoint: " + URL, "--endpoint", "ftp://collector:21"),
                flag("invalid value 'localhost:4317' for --endpoint: " + URL, "--endpoint", "localhost:4317"),
                flag("invalid value 'http://' for --endpoint: " + URL, "--endpoint", "http://"),
                flag("invalid value '' for --endpoint: " + URL, "--endpoint", ""),
                flag("invalid value 'not a url' for --profiling-endpoint: " + URL, "--profiling-endpoint", "not a url"),
                flag("invalid value 'kafka' for --exporter: expected one of grpc, http, console, none", "--exporter", "kafka"),
                flag("invalid value '' for --exporter: expected one of grpc, http, console, none", "--exporter", ""),
                flag("invalid value '' for --service-name: " + TEXT, "--service-name", ""),
                flag("invalid value '   ' for --service-name: " + BLANK, "--service-name", "   "),
                flag("invalid value '' for --token: " + TEXT, "--token", ""),
                flag("invalid value ' ' for --token: " + BLANK, "--token", " "),
                flag("invalid value '10' for --shutdown-timeout: " + DURATION, "--shutdown-timeout", "10"),
                flag("invalid value '0s' for --shutdown-timeout: " + DURATION, "--shutdown-timeout", "0s"),
                flag("invalid value '5sec' for --shutdown-timeout: " + DURATION, "--shutdown-timeout", "5sec"),
                flag("invalid value 'a b' for --http-address: expected a host name or IP address, such as 0.0.0.0 or 127.0.0.1",
                        "--http-address", "a b"),
                flag("invalid value 'sometimes' for --sample-fail: expected one of none, start, stop, hang-on-stop",
                        "--sample-fail", "sometimes"),
                env("invalid value 'ture' for ENABLE_TRACES: " + BOOL, "ENABLE_TRACES", "ture"),
                env("invalid value 'maybe' for DEBUG: " + BOOL, "DEBUG", "maybe"),
                env("invalid value '70000' for HTTP_PORT: " + PORT, "HTTP_PORT", "70000"),
                env("invalid value 'http//collector' for OTLP_ENDPOINT: " + URL, "OTLP_ENDPOINT", "http//collector"),
                env("invalid value 'file:///tmp' for OTEL_EXPORTER_OTLP_ENDPOINT: " + URL, "OTEL_EXPORTER_OTLP_ENDPOINT", "file:///tmp"),
                env("invalid value 'zipkin' for OTLP_EXPORTER_TYPE: expected one of grpc, http, console, none",
                        "OTLP_EXPORTER_TYPE", "zipkin"),
                env("invalid value 'http/json' for OTEL_EXPORTER_OTLP_PROTOCOL: expected grpc or http/protobuf (http/json is not supported)",
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
                env("invalid value ' ' for OTEL_SERVICE_NAME: " + BLANK, "OTEL_SERVICE_NAME", " "),
                Arguments.of(Map.of("OTEL_SERVICE_NAME", "shop-a"), List.of("run", "--service-name", "shop-b"),
                        "launcher: conflicting values for service.name: 'shop-b' from --service-name and 'shop-a' from "
                                + "OTEL_SERVICE_NAME; set it in one place, or to the same value in both"),
                Arguments.of(Map.of("TOKEN", "Alpha-token", "OTEL_RESOURCE_ATTRIBUTES", "bk.data.token=Bravo-token",
                        "JAVA_OPTS", "-Dotel.exporter.otlp.headers=x-bk-token=Alpha-token"), List.of("run"),
                        "launcher: conflicting values for token: 'Al****' from TOKEN and 'Br****' from "
                                + "OTEL_RESOURCE_ATTRIBUTES; set it in one place, or to the same value in both"),
                env("invalid value 'forever' for SHUTDOWN_TIMEOUT: " + DURATION, "SHUTDOWN_TIMEOUT", "forever"),
                env("invalid value 'x' for SAMPLE_FAIL: expected one of none, start, stop, hang-on-stop", "SAMPLE_FAIL", "x"),
                flag("Unknown option: '--unknown-flag' (see 'launcher run --help')", "--unknown-flag"),
                flag("option '--http-port' (<port>) should be specified only once (see 'launcher run --help')",
                        "--http-port", "1", "--http-port", "2"),
                flag("contradictory options: --debug and --no-debug are both given (see 'launcher run --help')",
                        "--debug", "--no-debug"),
                flag("Unmatched argument at index 1: 'extra' (see 'launcher run --help')", "extra"),
                flag("Missing required parameter for option '--http-port' (<port>) (see 'launcher run --help')", "--http-port"),
                verify("Missing required option: '--manifest=<file>' (see 'launcher verify --help')"),
                verify("invalid value for --duration: '0s' (a duration such as 30s or 2m, not 0) (see 'launcher verify --help')",
                        "--manifest", "m.json", "--duration", "0s"),
                verify("invalid value for --deadline: 'soon' (a duration such as 30s or 2m, not 0) (see 'launcher verify --help')",
                        "--manifest", "m.json", "--deadline", "soon"),
                verify("invalid value for --zipkin: 'ftp://zipkin:9411' (an http or https URL such as http://localhost:9411) "
                        + "(see 'launcher verify --help')", "--manifest", "m.json", "--zipkin", "ftp://zipkin:9411"),
                verify("invalid value for --pyroscope: 'pyroscope:4040' (an http or https URL such as http://localhost:9411) "
                        + "(see 'launcher verify --help')", "--manifest", "m.json", "--pyroscope", "pyroscope:4040"),
                Arguments.of(Map.of(), List.of(), "launcher: missing command: expected one of run, check, verify, plugins, config, scenarios, topology, generate-completion (see 'launcher --help')"));
    }

    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("badInputs")
    void exitsTwoWithOneLineNamingTheInputAndStartsNothing(Map<String, String> env, List<String> args, String expected)
            throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, env, args.toArray(String[]::new))) {
            int code = launcher.awaitExit(Duration.ofSeconds(30));
            assertEquals(2, code, "exit code\n" + launcher.output());
            assertEquals(List.of(expected), launcher.stderr(), "standard error");
            assertEquals(List.of(), launcher.stdout(), "nothing may start, so nothing is logged");
        }
    }

    private static Arguments flag(String message, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        return Arguments.of(Map.of(), all, message.startsWith("launcher: ") ? message : "launcher: " + message);
    }

    private static Arguments verify(String message, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("verify"));
        all.addAll(List.of(args));
        return Arguments.of(Map.of(), all, "launcher: " + message);
    }

    private static Arguments env(String message, String name, String value) {
        return Arguments.of(Map.of(name, value), List.of("run"), "launcher: " + message);
    }
}
