package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector misbehaves; the service never does. Each test runs the real distribution against
 * an in-test OTLP receiver that is absent, refuses, hangs or is too slow, and checks what the
 * service's users see (its /helloworld answers), what its operator sees (its log), and what
 * arrives at the collector.
 */
class CollectorFaultsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    @TempDir
    Path dir;

    /** The service with no CPU work and no random errors, listening on a free port of 127.0.0.1. */
    private static LauncherProcess start(Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--http-address", "127.0.0.1", "--http-port", "0",
                "--work-scale", "0", "--error-rate", "0"));
        all.addAll(List.of(args));
        return LauncherProcess.start(LauncherProcess.dist(), env, all.toArray(String[]::new));
    }

    @Test
    void startsWithoutTheCollectorWarnsOncePerSignalAndDeliversOnceItIsBack() throws Exception {
        int grpcPort;
        int httpPort;
        try (OtlpReceiver probe = OtlpReceiver.start()) {
            grpcPort = probe.grpcEndpoint().getPort();
            httpPort = probe.httpEndpoint().getPort();
        }
        try (LauncherProcess launcher = start(
                Map.of("OTEL_BSP_SCHEDULE_DELAY", "200", "OTEL_BLRP_SCHEDULE_DELAY", "200", "OTEL_METRIC_EXPORT_INTERVAL", "500"),
                "--exporter", "grpc", "--endpoint", "http://127.0.0.1:" + grpcPort,
                "--enable-traces", "--enable-metrics", "--enable-logs", "--query-interval", "200ms")) {
            HelloClient client = new HelloClient(launcher.awaitHttpBase(PATIENCE));
            assertEquals(200, client.get().status(), "served while the collector is absent\n" + launcher.output());
            // Each signal gives up on its first batches once the exporter's retries are spent.
            for (String signal : List.of("spans", "metrics", "logs")) {
                launcher.awaitStdout(l -> failureOf(l, signal), PATIENCE, "a failed export of " + signal);
            }
            List<String> producedWhileAbsent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                HelloClient.Answer answer = client.get();
                assertEquals(200, answer.status(), "served while the collector is absent\n" + launcher.output());
                producedWhileAbsent.add(answer.traceId());
            }

            try (OtlpReceiver back = OtlpReceiver.startOn(grpcPort, httpPort)) {
                back.awaitSpans(spans -> serverSpanTraces(spans).containsAll(producedWhileAbsent), PATIENCE);
                back.awaitMetric("requests_total", PATIENCE);
                back.awaitLogRecord(body -> body.startsWith("get country -> "), PATIENCE);

                launcher.terminate();
                assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM: nothing was lost\n" + launcher.output());
                StopSummary summary = StopSummary.of(launcher);
                assertEquals(back.spans().size(), summary.spansOrFail().exported(),
                        "spans exported by the service's count vs accepted by the collector\n" + launcher.output());
                assertEquals(0, summary.spansOrFail().discarded() + summary.logsOrFail().discarded(),
                        "what the SDK gave up on while the collector was absent was kept and sent again: " + summary.line());
                assertTrue(summary.metricExports().orElseThrow()[1] > 0, "failed metric exports are counted: " + summary.line());
            }
            for (String signal : List.of("spans", "metrics", "logs")) {
                List<String> warnings = launcher.stdout().stream().filter(l -> failureOf(l, signal)).toList();
                assertEquals(1, warnings.size(), "warnings about " + signal + " in a run of less than a minute\n"
                        + launcher.output());
                assertTrue(warnings.get(0).contains(" WARNING: "), "a warning, not an error: " + warnings.get(0));
            }
            // Every kind of SDK warning (failed exports, the metric reader's timeouts, ...) at most once a minute.
            Map<String, List<String>> sdkWarnings = launcher.stdout().stream()
                    .filter(l -> l.contains(" WARNING: [io.opentelemetry."))
                    .collect(Collectors.groupingBy(CollectorFaultsIT::kindOfWarning));
            sdkWarnings.forEach((kind, lines) -> assertEquals(1, lines.size(),
                    "lines of the warning '" + kind + "' in less than a minute\n" + launcher.output()));
            assertEquals(List.of(), launcher.stderr(), "nothing on stderr: no thread died\n" + launcher.output());
            assertTrue(launcher.output().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack traces\n" + launcher.output());
        }
    }

    @Test
    void retriesWhileTheCollectorRefusesWithoutSlowingRequestsAndDeliversAfterwards() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            // Three refusals of the same batch: the exporter's retry policy allows four.
            receiver.failNext(3);
            try (LauncherProcess launcher = start(Map.of("OTEL_BSP_SCHEDULE_DELAY", "200"),
                    "--exporter", "http", "--endpoint", receiver.httpEndpoint().toString(),
                    "--enable-traces", "--query-interval", "1h")) {
                HelloClient client = new HelloClient(launcher.awaitHttpBase(PATIENCE));
                List<HelloClient.Answer> answers = new CopyOnWriteArrayList<>();
                long start = System.nanoTime();
                // A steady 20 requests a second, until the batch that was refused three times is in.
                ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
                try {
                    load.scheduleAtFixedRate(() -> {
                        try {
                            answers.add(client.get());
                        } catch (Exception e) {
                            answers.add(new HelloClient.Answer("failed: " + e, -1, Duration.ZERO));
                        }
                    }, 0, 50, TimeUnit.MILLISECONDS);
                    receiver.awaitSpans(spans -> receiver.refusedCount() >= 3 && !spans.isEmpty(), PATIENCE);
                } finally {
                    load.shutdown();
                    assertTrue(load.awaitTermination(30, TimeUnit.SECONDS), "the load stopped");
                }
                Duration refusing = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(3, receiver.refusedCount(), "requests refused before one was accepted");

                List<Long> millis = answers.stream().map(a -> a.took().toMillis()).sorted().toList();
                assertTrue(answers.stream().allMatch(a -> a.status() == 200), "every request answered 200: " + answers);
                long p99 = millis.get((int) Math.floor(0.99 * (millis.size() - 1)));
                System.out.printf("[CollectorFaultsIT] collector refusing for %d ms: %d requests, latency median %d ms,"
                        + " p99 %d ms, max %d ms%n", refusing.toMillis(), millis.size(), millis.get(millis.size() / 2),
                        p99, millis.get(millis.size() - 1));
                assertTrue(p99 < 250, "while the exporter retries, requests are not held up: p99 " + p99 + " ms of "
                        + millis);

                Set<String> sent = answers.stream().map(HelloClient.Answer::traceId).collect(Collectors.toSet());
                receiver.awaitSpans(spans -> serverSpanTraces(spans).containsAll(sent), PATIENCE);
                launcher.terminate();
                assertEquals(0, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
                assertTrue(launcher.stdout().stream().noneMatch(l -> l.contains("Failed to export")),
                        "retries that succeed are not failures\n" + launcher.output());
                assertEquals(List.of(), launcher.stderr(), "nothing on stderr\n" + launcher.output());
            }
        }
    }

    @Test
    void aHangingCollectorDoesNotKeepSigtermPastTheShutdownTimeout() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.hang();
            try (LauncherProcess launcher = start(
                    Map.of("OTEL_BSP_SCHEDULE_DELAY", "200", "OTEL_BLRP_SCHEDULE_DELAY", "200", "OTEL_METRIC_EXPORT_INTERVAL", "500"),
                    "--exporter", "http", "--endpoint", receiver.httpEndpoint().toString(),
                    "--enable-traces", "--enable-metrics", "--enable-logs", "--query-interval", "200ms",
                    "--shutdown-timeout", "3s")) {
                HelloClient client = new HelloClient(launcher.awaitHttpBase(PATIENCE));
                receiver.awaitHeld(3, PATIENCE);
                assertEquals(200, client.get().status(), "served while the collector hangs\n" + launcher.output());

                long before = System.nanoTime();
                launcher.terminate();
                int code = launcher.awaitExit(PATIENCE);
                Duration took = Duration.ofNanos(System.nanoTime() - before);
                System.out.printf("[CollectorFaultsIT] SIGTERM to exit with a hanging collector and --shutdown-timeout 3s:"
                        + " %d ms%n", took.toMillis());
                assertEquals(1, code, "recorded telemetry that could not be delivered at stop makes the exit status 1\n"
                        + launcher.output());
                assertTrue(took.compareTo(Duration.ofMillis(3500)) < 0,
                        "expected the process to end within the 3 s shutdown timeout (plus 0.5 s for the JVM), took "
                                + took.toMillis() + " ms\n" + launcher.output());
                launcher.awaitStdout(l -> l.contains("WARNING: [otlp] telemetry not fully delivered within"), Duration.ZERO,
                        "the warning that telemetry was not delivered");
                launcher.awaitStdout(l -> l.matches(".* \\[otlp\\] failed to stop: recorded telemetry not delivered: \\d+ spans, "
                        + "\\d+ log records, the last metrics"), Duration.ZERO, "the one line that says what was lost");
                StopSummary summary = StopSummary.of(launcher);
                assertTrue(summary.spansOrFail().balanced() && summary.logsOrFail().balanced(),
                        "recorded = exported + discarded: " + summary.line());
                assertTrue(summary.spansOrFail().causes().getOrDefault("undeliverable at stop", 0L) > 0, summary.line());
                assertTrue(launcher.stdout().stream().noneMatch(l -> l.contains("abandoned")), launcher.output());
            } finally {
                receiver.release();
            }
        }
    }

    @Test
    void underOverloadNewTracesAreLeftOutWholeNothingIsDroppedAndMemoryStaysBounded() throws Exception {
        Path gcLog = dir.resolve("gc.log");
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            receiver.hang();
            // The SDK's queue sizes rather than plugin-otlp's larger defaults, so that a few seconds
            // would overflow them; the bound on memory scales with the queue size either way.
            try (LauncherProcess launcher = start(Map.of("JAVA_OPTS", "-Xlog:gc:file=" + gcLog,
                            "OTEL_BSP_MAX_QUEUE_SIZE", "2048", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512",
                            "OTEL_BLRP_MAX_QUEUE_SIZE", "2048", "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "512"),
                    "--exporter", "http", "--endpoint", receiver.httpEndpoint().toString(),
                    "--enable-traces", "--enable-logs", "--query-rate", "400", "--query-concurrency", "8",
                    "--shutdown-timeout", "3s")) {
                launcher.awaitStdout("[querier] service started", PATIENCE);
                receiver.awaitHeld(2, PATIENCE);
                // Production outruns the collector for 6 s: 400 calls a second, 7 spans and 3 log
                // records each, against queues of 2048 of each.
                List<ProcessSample> samples = ProcessSample.every(Duration.ofSeconds(1), 6, launcher.pid(), gcLog);
                launcher.terminate();
                assertEquals(1, launcher.awaitExit(PATIENCE), "what the hanging collector never took is lost: exit 1\n"
                        + launcher.output());

                StopSummary summary = StopSummary.of(launcher);
                System.out.println("[CollectorFaultsIT] overload, 6 s against a hanging collector: " + summary.line()
                        + "; samples: " + samples);
                assertTrue(summary.exporterBehind() > 100, "new traces left out whole once half the queue waits: "
                        + summary.line());
                assertTrue(summary.spansOrFail().recorded() <= 2048, "the guard closes at half the queue, with room for the"
                        + " traces under way: " + summary.line());
                assertEquals(0, summary.spansOrFail().causes().getOrDefault("queue full", 0L) + summary.logsOrFail()
                        .causes().getOrDefault("queue full", 0L), "no span or log record dropped from a full queue: "
                        + summary.line());
                assertTrue(summary.spansOrFail().balanced() && summary.logsOrFail().balanced(), summary.line());
                assertTrue(launcher.stdout().stream().noneMatch(l -> l.contains("BatchSpanProcessor dropped")),
                        "no queue-full warning\n" + launcher.output());
                ProcessSample early = samples.get(1);
                ProcessSample late = samples.get(samples.size() - 1);
                // Bounded queues: what the heap keeps after a collection does not grow with the load.
                // 16 MiB is slack for the young objects a collection happened to catch.
                assertTrue(late.heapAfterGcKib() >= 0 && late.heapAfterGcKib() <= early.heapAfterGcKib() + 16 * 1024,
                        "heap after GC should stay flat while the load goes on: at 1 s " + early + ", at 5 s " + late);
            } finally {
                receiver.release();
            }
        }
    }

    @Test
    void withPyroscopeDownProfilingWarnsAndTheServiceKeepsServing() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (LauncherProcess launcher = start(Map.of(), "--exporter", "none", "--enable-profiling",
                "--profiling-endpoint", "http://127.0.0.1:" + closedPort, "--profiling-upload-interval", "1s",
                "--query-interval", "1h")) {
            HelloClient client = new HelloClient(launcher.awaitHttpBase(PATIENCE));
            launcher.awaitStdout(l -> l.contains(" WARNING: [profiling] "), PATIENCE, "a profiling warning");
            for (int i = 0; i < 20; i++) {
                assertEquals(200, client.get().status(), "served while Pyroscope is down\n" + launcher.output());
            }
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code\n" + launcher.output());
            long warnings = launcher.stdout().stream().filter(l -> l.contains(" WARNING: [profiling] ")).count();
            assertTrue(warnings <= 2, "profiling warnings are rate-limited (one a minute, and the last upload's)\n"
                    + launcher.output());
        }
    }

    private static boolean failureOf(String line, String signal) {
        return line.contains("Failed to export") && line.matches(".*Failed to export (\\d+ )?" + signal + "\\..*");
    }

    /** {@code [logger] message} without the time, counts and whatever follows the first sentence. */
    private static String kindOfWarning(String line) {
        String message = line.substring(line.indexOf(" WARNING: ") + " WARNING: ".length());
        int sentence = message.indexOf(". ");
        return (sentence < 0 ? message : message.substring(0, sentence)).replaceAll("\\d+ ", "");
    }

    private static Set<String> serverSpanTraces(List<Span> spans) {
        return spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .map(s -> OtlpReceiver.hex(s.getTraceId())).collect(Collectors.toSet());
    }

}
