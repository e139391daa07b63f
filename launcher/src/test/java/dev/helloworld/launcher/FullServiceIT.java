package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole distribution, all four plugins on, against in-test OTLP and Pyroscope receivers. */
class FullServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOKEN = "s3cr3t-t0ken-for-the-IT";
    private static final Pattern RECEIVED = Pattern.compile(
            "\\[otel] \\[trace_id=([0-9a-f]{32}) span_id=[0-9a-f]{16}] \\[query_hello_world] received: ");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {OtlpReceiver.HTTP, OtlpReceiver.GRPC})
    void everySignalArrivesAndNoCallsTelemetryIsLostOnSigterm(String transport) throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        // A standard OTEL_* variable, honoured alongside helloworld's settings.
                        Map.of("TOKEN", TOKEN, "OTEL_METRIC_EXPORT_INTERVAL", "1000"),
                        "run", "--exporter", transport, "--endpoint", otlp.endpoint(transport).toString(),
                        "--enable-traces", "--enable-metrics", "--enable-logs", "--enable-profiling",
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-upload-interval", "1s",
                        "--http-port", "0", "--query-interval", "300ms")) {
            launcher.awaitStdout("[querier] service started", PATIENCE);

            List<Span> spans = otlp.awaitSpans(FullServiceIT::hasACompleteCall, PATIENCE);
            assertTrue(hasACompleteCall(spans), "a call's spans in one trace");
            otlp.awaitMetric("requests_total", PATIENCE);
            otlp.awaitLogRecord(body -> body.startsWith("get country -> "), PATIENCE);
            pyroscope.awaitUpload(upload -> upload.path().endsWith("/ingest"), PATIENCE);
            assertTrue(otlp.requests().stream().allMatch(r -> TOKEN.equals(r.headers().get("x-bk-token"))),
                    "every export carries x-bk-token");

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());

            assertStopOrder(launcher, "querier", "http", "scenarios", "profiling", "otlp");
            Set<String> callsLogged = launcher.stdout().stream().map(RECEIVED::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).collect(Collectors.toSet());
            Set<String> callsExported = otlp.spans().stream().filter(s -> s.getName().equals("caller/query_hello_world"))
                    .map(s -> OtlpReceiver.hex(s.getTraceId())).collect(Collectors.toSet());
            assertFalse(callsLogged.isEmpty(), "calls should be logged with their trace ids\n" + launcher.output());
            assertTrue(callsExported.containsAll(callsLogged), "every call that completed before the stop is exported; "
                    + "missing: " + callsLogged.stream().filter(t -> !callsExported.contains(t)).toList());
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains(TOKEN)),
                    "the token must never be printed\n" + launcher.output());
        }
    }

    @Test
    void aPortInUseFailsTheStartInOneLineAndStopsWhatHadStarted() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--exporter", "none", "--http-port", String.valueOf(taken.getLocalPort()))) {
            assertEquals(1, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            launcher.awaitStdout("ERROR: [http] failed to start: address 0.0.0.0:" + taken.getLocalPort()
                    + " already in use", Duration.ZERO);
            launcher.awaitStdout("[otlp] service stopped", Duration.ZERO);
            assertTrue(launcher.stdout().stream().noneMatch(l -> l.contains("[querier] service started")),
                    "nothing after http may start\n" + launcher.output());
        }
    }

    /** A querier call, its client span, the server span and the handler span, in one trace. */
    private static boolean hasACompleteCall(List<Span> spans) {
        Map<String, List<Span>> traces = spans.stream().collect(Collectors.groupingBy(s -> OtlpReceiver.hex(s.getTraceId())));
        return traces.values().stream().anyMatch(trace -> trace.stream().map(Span::getName).collect(Collectors.toSet())
                .containsAll(Set.of("caller/query_hello_world", "GET", "GET /helloworld", "handle/hello_world",
                        "custom_span_demo/do_something", "span_event_demo/do_something")));
    }

    private static void assertStopOrder(LauncherProcess launcher, String... services) {
        List<String> stopped = launcher.stdout().stream().filter(l -> l.endsWith("] service stopped"))
                .map(l -> l.substring(l.indexOf('[') + 1, l.indexOf(']'))).toList();
        assertEquals(List.of(services), stopped, "stop order\n" + launcher.output());
    }
}
