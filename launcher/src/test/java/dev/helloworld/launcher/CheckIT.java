package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.json.Json;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.ScriptedAnswer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/launcher check} as a user and a CI script run it: the exit code says whether every
 * enabled signal got through, the text has one line per signal, the JSON reads as JSON.
 */
class CheckIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String TOKEN = "ci-token-8842";
    /**
     * For the tests of what the lines say rather than of how long it takes: building the SDK in a
     * cold JVM took up to 7 s of the default 10 on the shared 2-core build machine (load 27).
     */
    private static final String CORRECTNESS_TIMEOUT = "30s";

    private static LauncherProcess check(Map<String, String> env, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("check"));
        all.addAll(List.of(args));
        return LauncherProcess.start(LauncherProcess.dist(), env, all.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> signals(LauncherProcess launcher) {
        String out = String.join("\n", launcher.stdout());
        Map<String, Object> report = (Map<String, Object>) Json.parse(out);
        return (List<Map<String, Object>>) report.get("signals");
    }

    private static Map<String, Object> signal(List<Map<String, Object>> signals, String name) {
        return signals.stream().filter(s -> name.equals(s.get("signal"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + signals));
    }

    @Test
    void everySignalThroughToAWorkingPipelineExitsZeroWithOneOkLineEach() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = check(Map.of("TOKEN", TOKEN), "--timeout", CORRECTNESS_TIMEOUT, "--exporter", "http",
                        "--endpoint", collector.httpEndpoint().toString(), "--enable-traces", "--enable-metrics",
                        "--enable-logs", "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString())) {
            int code = launcher.awaitExit(PATIENCE);

            assertEquals(0, code, launcher.output());
            // First who it was sent as, then, after an empty line, one line per signal.
            List<String> out = launcher.stdout();
            int blank = out.indexOf("");
            assertEquals(List.of("service.name", "service.version", "deployment.environment", "token"),
                    out.subList(0, Math.max(blank, 0)).stream().map(l -> l.split("\\s+")[0]).toList(),
                    "the identity first:\n" + launcher.output());
            assertTrue(out.get(3).matches("token\\s+ci\\*+\\s+env TOKEN"), "the token masked, with its source: " + out.get(3));
            List<String> lines = out.subList(blank + 1, out.size());
            assertEquals(List.of("traces", "metrics", "logs", "profiles"),
                    lines.stream().map(l -> l.split("\\s+")[0]).toList(), "one line per signal:\n" + launcher.output());
            assertTrue(lines.stream().allMatch(l -> l.matches("\\w+\\s+OK\\s+\\d+ ms\\s+http://127\\.0\\.0\\.1:\\d+/\\S+")),
                    "every line 'signal OK n ms target':\n" + launcher.output());
            assertEquals(1, collector.spans().size(), "the check's one span");
            assertEquals(1, pyroscope.uploads().size(), "the check's one profile");
            assertFalse(launcher.output().contains(TOKEN), "the token leaked:\n" + launcher.output());
        }
    }

    @Test
    void aSignalWithoutPipelineExitsOneAndTheJsonSaysWhichAndWhy() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start()) {
            collector.answer(OtlpReceiver.LOGS, ScriptedAnswer.refuse(404, "404 page not found"));
            try (LauncherProcess launcher = check(Map.of("OTLP_ENDPOINT", collector.grpcEndpoint().toString(),
                    "OTLP_EXPORTER_TYPE", "grpc", "TOKEN", TOKEN), "--output", "json", "--timeout", CORRECTNESS_TIMEOUT)) {
                int code = launcher.awaitExit(PATIENCE);

                assertEquals(1, code, launcher.output());
                List<Map<String, Object>> signals = signals(launcher);
                assertEquals(List.of("OK", "OK", "FAILED", "SKIPPED"), signals.stream().map(s -> s.get("status")).toList(),
                        "traces, metrics, logs checked with no signal option; profiling off:\n" + launcher.output());
                Map<String, Object> logs = signal(signals, "logs");
                assertEquals("gRPC UNIMPLEMENTED: this endpoint has no logs pipeline (404 page not found)", logs.get("cause"));
                assertTrue(String.valueOf(logs.get("fix")).contains("--no-enable-logs"), logs.toString());
                assertTrue(signal(signals, "traces").get("elapsed_ms") instanceof Long, signals.toString());
                assertEquals(List.of(), launcher.stderr(), "nothing on standard error");
            }
        }
    }

    /** The plugins' checks are found through META-INF/services as well as through module-info. */
    @Test
    void findsThePluginsChecksOnTheClassPathToo() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = check(Map.of("LAUNCHER_MODE", "classpath"), "--timeout", CORRECTNESS_TIMEOUT,
                        "--exporter", "grpc", "--endpoint", collector.grpcEndpoint().toString(), "--enable-traces",
                        "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(), "--output", "json")) {
            int code = launcher.awaitExit(PATIENCE);

            assertEquals(0, code, launcher.output());
            assertEquals(List.of("traces OK", "metrics SKIPPED", "logs SKIPPED", "profiles OK"), signals(launcher).stream()
                    .map(s -> s.get("signal") + " " + s.get("status")).toList(), launcher.output());
        }
    }

    @Test
    void aCollectorThatIsDownExitsOneWithARefusedLineForEachSignal() throws Exception {
        int port;
        try (OtlpReceiver gone = OtlpReceiver.start()) {
            port = gone.httpEndpoint().getPort();
        }
        try (LauncherProcess launcher = check(Map.of(), "--exporter", "http", "--endpoint", "http://127.0.0.1:" + port)) {
            int code = launcher.awaitExit(PATIENCE);

            assertEquals(1, code, launcher.output());
            assertEquals(3, launcher.stdout().stream().filter(l -> l.contains("FAILED")
                    && l.contains("connection refused at 127.0.0.1:" + port + ": is the collector running")).count(),
                    "three refused lines:\n" + launcher.output());
        }
    }

    /**
     * A collector that takes the requests and never answers costs the default timeout, 10 s, not
     * the exporters' own 10 s per signal and retries. The allowance over the timeout is the JVM's
     * start on a loaded 2-core machine.
     */
    @Test
    void aStuckCollectorCostsTheTimeoutAndNoMore() throws Exception {
        Duration startAllowance = Duration.ofSeconds(20);
        try (OtlpReceiver collector = OtlpReceiver.start()) {
            collector.hang();
            long started = System.nanoTime();
            try (LauncherProcess launcher = check(Map.of(), "--exporter", "grpc", "--endpoint",
                    collector.grpcEndpoint().toString())) {
                int code = launcher.awaitExit(PATIENCE);
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                assertEquals(1, code, launcher.output());
                assertEquals(3, launcher.stdout().stream().filter(l -> l.contains("FAILED") && l.contains(
                        "no answer from 127.0.0.1:" + collector.grpcEndpoint().getPort() + " within the check's 10s")).count(),
                        "three lines:\n" + launcher.output());
                assertTrue(took.compareTo(Duration.ofSeconds(10).plus(startAllowance)) < 0,
                        "took " + took.toMillis() + " ms with the default timeout of 10 s");
            } finally {
                collector.release();
            }
        }
    }

    @Test
    void usageErrorsExitTwoWithOneLineNamingTheOption() throws Exception {
        Map<String[], String> cases = Map.of(
                new String[] {"--timeout", "soon"}, "invalid value for --timeout: 'soon'",
                new String[] {"--output", "yaml"}, "--output",
                new String[] {"--exporter", "carrier-pigeon"}, "carrier-pigeon");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            try (LauncherProcess launcher = check(Map.of(), c.getKey())) {
                int code = launcher.awaitExit(PATIENCE);

                assertEquals(2, code, launcher.output());
                assertEquals(List.of(), launcher.stdout(), launcher.output());
                assertTrue(launcher.stderr().size() == 1 && launcher.stderr().get(0).contains(c.getValue()),
                        "one line naming " + c.getValue() + ":\n" + launcher.output());
            }
        }
    }
}
