package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What happens when the collector is down, refuses, or hangs. */
public class CollectorTroubleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final OtlpReceiver receiver = OtlpReceiver.start();
    private final Records serviceLog = Records.of("helloworld.otlp");

    @AfterEach
    void cleanUp() {
        serviceLog.close();
        receiver.close();
    }

    private Map<String, String> tracesAndLogsTo(String transport, String shutdownTimeout) {
        return Map.of("otlp.exporter", transport, "otlp.endpoint", receiver.endpoint(transport).toString(),
                "enable.traces", "true", "enable.logs", "true", "shutdown.timeout", shutdownTimeout);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void keepsWorkingWhileTheCollectorIsDownAndStopsWithinItsDeadline(String transport) throws Exception {
        receiver.stop();
        Map<String, String> everySignal = new java.util.HashMap<>(tracesAndLogsTo(transport, "2s"));
        everySignal.put("enable.metrics", "true");
        TestHost host = TestHost.start(everySignal);
        Tracer tracer = host.otel().getTracer("test");
        for (int i = 0; i < 50; i++) {
            tracer.spanBuilder("while down " + i).startSpan().end();
            Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("log while down " + i);
            host.otel().getMeter("test").counterBuilder("while.down").build().add(1);
        }

        long start = System.nanoTime();
        host.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "stop took " + took.toMillis() + " ms, deadline 2 s");
        List<String> lines = serviceLog.messages();
        // What is left of the host's 2 s for the last service to stop, less the margin for the summary.
        assertTrue(lines.stream().anyMatch(l -> l.matches("telemetry not fully delivered within 1[0-8]\\d\\dms .*")),
                "a warning that telemetry was lost, in " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.contains("abandoned")), "the host never gave up on it: " + lines);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void deliversOnceTheCollectorAcceptsAfterRefusing(String transport) throws Exception {
        receiver.failNext(2);
        try (TestHost host = TestHost.start(Map.of("otlp.exporter", transport,
                "otlp.endpoint", receiver.endpoint(transport).toString(), "enable.traces", "true"))) {
            host.otel().getTracer("test").spanBuilder("retried").startSpan().end();
        }

        receiver.awaitSpan("retried", WAIT);
        assertEquals(2, receiver.refusedCount(), "refused before the span was accepted");
        assertTrue(serviceLog.messages().contains(
                "traces: 1 spans recorded, 1 exported, 0 discarded, new traces not recorded: 0 (rate limit), 0 (exporter behind)"),
                "the summary at stop, in " + serviceLog.messages());
    }

    @Test
    void deliversWhatWasBufferedWhileTheCollectorWasDownOnceItIsBack() throws Exception {
        int grpcPort = receiver.grpcEndpoint().getPort();
        int httpPort = receiver.httpEndpoint().getPort();
        receiver.stop();
        TestHost host = TestHost.start(tracesAndLogsTo("grpc", "10s"));
        host.otel().getTracer("test").spanBuilder("buffered while down").startSpan().end();

        try (OtlpReceiver back = OtlpReceiver.startOn(grpcPort, httpPort)) {
            host.stop();
            assertEquals("buffered while down", back.awaitSpan("buffered while down", WAIT).getName());
        }
    }

    /**
     * A collector that takes connections and never answers: the time to stop runs out before the
     * SDK's final metric export, and the summary counts the metrics since the last export as lost.
     */
    @Test
    void aCollectorThatNeverAnswersLeavesTheLastMetricsCountedAsUndelivered() throws Exception {
        receiver.hang();
        Map<String, String> everySignal = new java.util.HashMap<>(tracesAndLogsTo("http", "2s"));
        everySignal.put("enable.metrics", "true");
        TestHost host = TestHost.start(everySignal);
        host.otel().getTracer("test").spanBuilder("never answered").startSpan().end();
        host.otel().getMeter("test").counterBuilder("never.answered").build().add(1);
        try {
            host.stop();
        } finally {
            receiver.release();
        }
        String summary = serviceLog.messages().stream().filter(l -> l.contains("metrics: ")).findFirst()
                .orElseThrow(() -> new AssertionError("a summary with metrics in " + serviceLog.messages()));
        assertTrue(summary.matches(".*metrics: \\d+ exports, \\d+ failed, the final export not (made|delivered).*"),
                "the metrics not delivered are said: " + summary);
    }

    /** A collector that answers 401 was reached: the stop's warning does not ask whether it is. */
    @Test
    void aRefusingCollectorIsNotCalledUnreachable() throws Exception {
        for (String signal : List.of(OtlpReceiver.TRACES, OtlpReceiver.METRICS, OtlpReceiver.LOGS)) {
            receiver.failNext(signal, 1000, 401);
        }
        Map<String, String> everySignal = new java.util.HashMap<>(tracesAndLogsTo("http", "3s"));
        everySignal.put("enable.metrics", "true");
        TestHost host = TestHost.start(everySignal);
        host.otel().getTracer("test").spanBuilder("refused").startSpan().end();
        host.otel().getMeter("test").counterBuilder("refused.count").build().add(1);
        try {
            host.stop();
        } catch (RuntimeException e) {
            // the host reports the lost telemetry; the summary line is what is checked
        }
        List<String> lines = serviceLog.messages();
        assertTrue(lines.stream().noneMatch(l -> l.contains("is the collector reachable")), "asked after a 401: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("refused")), "the refusal is said: " + lines);
    }

    @Test
    void deliversWhatWasBufferedWhenAHangingCollectorAnswersBeforeTheDeadline() throws Exception {
        receiver.hang();
        TestHost host = TestHost.start(tracesAndLogsTo("http", "10s"));
        host.otel().getTracer("test").spanBuilder("buffered").startSpan().end();
        Thread stopper = new Thread(host::stop, "test-stop");
        stopper.start();

        receiver.awaitHeld(1, WAIT);
        receiver.release();
        stopper.join(WAIT.toMillis());

        assertEquals("buffered", receiver.awaitSpan("buffered", WAIT).getName());
        assertTrue(!stopper.isAlive(), "stop returned");
    }

    @Test
    void reportsExportFailuresOncePerSignalNotOncePerBatch() throws Exception {
        receiver.stop();
        try (Records exporterLog = Records.of("io.opentelemetry.exporter.otlp.internal.HttpExporter")) {
            // No retries, so that every batch fails at once and the test needs no backoff waits.
            System.setProperty("otel.java.exporter.otlp.retry.disabled", "true");
            try (TestHost host = TestHost.start(tracesAndLogsTo("http", "3s"))) {
                io.opentelemetry.sdk.OpenTelemetrySdk sdk = ((EnabledSignals) host.otel()).sdk();
                for (int batch = 0; batch < 5; batch++) {
                    host.otel().getTracer("test").spanBuilder("batch " + batch).startSpan().end();
                    sdk.getSdkTracerProvider().forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                System.clearProperty("otel.java.exporter.otlp.retry.disabled");
            }
            List<String> failures = exporterLog.messages().stream().filter(m -> m.matches("Failed to export \\d+ spans\\..*")).toList();
            assertEquals(1, failures.size(), "span export failures reported, of 5 failed batches: " + failures);
            assertTrue(serviceLog.messages().stream().anyMatch(m -> m.contains(
                    "traces: 5 spans recorded, 0 exported, 5 discarded (undeliverable at stop 5)")),
                    "the summary counts the 5 spans kept for a collector that never came: " + serviceLog.messages());
        }
    }

    /** Collects the messages logged to one java.util.logging logger while open. */
    public static final class Records extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<String> messages = new CopyOnWriteArrayList<>();

        private Records(Logger logger) {
            this.logger = logger;
            setLevel(Level.ALL);
        }

        public static Records of(String loggerName) {
            Records records = new Records(Logger.getLogger(loggerName));
            records.logger.addHandler(records);
            return records;
        }

        public List<String> messages() {
            return List.copyOf(messages);
        }

        @Override
        public void publish(LogRecord record) {
            messages.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
