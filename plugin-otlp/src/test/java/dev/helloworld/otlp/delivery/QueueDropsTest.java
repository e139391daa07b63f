package dev.helloworld.otlp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.otlp.CollectorTroubleTest;
import dev.helloworld.otlp.TestHost;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A collector that hangs, with queues of 16: the backlog guard stops recording new traces before
 * the span queue can overflow, so no span is dropped; log records outside any trace are not
 * guarded, and what does not fit their queue is counted as dropped (queue full).
 */
class QueueDropsTest {

    /** A power of two: the span processor's queue rounds its capacity up to one. */
    private static final int QUEUE = 16;
    private static final int BATCH = 5;
    private static final int PRODUCED = 100;
    private static final Pattern SUMMARY = Pattern.compile(
            "traces: (\\d+) spans recorded, 0 exported, (\\d+) discarded \\(undeliverable at stop (\\d+)\\), "
                    + "new traces not recorded: 0 \\(rate limit\\), (\\d+) \\(exporter behind\\); "
                    + "logs: (\\d+) log records recorded, 0 exported, (\\d+) discarded "
                    + "\\(queue full (\\d+), undeliverable at stop (\\d+)\\)");

    private final OtlpReceiver receiver = OtlpReceiver.start();
    private final CollectorTroubleTest.Records serviceLog = CollectorTroubleTest.Records.of("helloworld.otlp");

    @AfterEach
    void cleanUp() {
        serviceLog.close();
        receiver.close();
        List.of("otel.bsp.max.queue.size", "otel.bsp.max.export.batch.size", "otel.blrp.max.queue.size",
                "otel.blrp.max.export.batch.size").forEach(System::clearProperty);
    }

    @Test
    void newTracesStopBeforeTheSpanQueueOverflowsAndLogRecordDropsAreCounted() throws Exception {
        System.setProperty("otel.bsp.max.queue.size", String.valueOf(QUEUE));
        System.setProperty("otel.bsp.max.export.batch.size", String.valueOf(BATCH));
        System.setProperty("otel.blrp.max.queue.size", String.valueOf(QUEUE));
        System.setProperty("otel.blrp.max.export.batch.size", String.valueOf(BATCH));
        receiver.hang();
        TestHost host = TestHost.start(Map.of("otlp.exporter", "http", "otlp.endpoint", receiver.httpEndpoint().toString(),
                "enable.traces", "true", "enable.logs", "true", "shutdown.timeout", "1s", "trace.rate.limit", "0"));
        Tracer tracer = host.otel().getTracer("test");
        for (int i = 0; i < PRODUCED; i++) {
            tracer.spanBuilder("span " + i).startSpan().end();
            Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("record " + i);
        }
        host.stop();

        String line = serviceLog.messages().stream().filter(m -> SUMMARY.matcher(m).find()).findFirst()
                .orElseThrow(() -> new AssertionError("a summary with spans not recorded and log records dropped, in "
                        + serviceLog.messages()));
        Matcher counts = SUMMARY.matcher(line);
        assertTrue(counts.find());
        long spansRecorded = Long.parseLong(counts.group(1));
        // The guard closes at half the queue: the spans recorded until then, and not one more.
        assertEquals(QUEUE / 2, spansRecorded, line);
        assertEquals(spansRecorded, Long.parseLong(counts.group(2)), "recorded = exported + discarded: " + line);
        assertEquals(PRODUCED, spansRecorded + Long.parseLong(counts.group(4)), "every trace recorded or counted: " + line);
        long logsDropped = Long.parseLong(counts.group(7));
        assertTrue(logsDropped >= PRODUCED - QUEUE - BATCH && logsDropped <= PRODUCED - QUEUE,
                "expected " + (PRODUCED - QUEUE - BATCH) + " to " + (PRODUCED - QUEUE) + " log records dropped of "
                        + PRODUCED + " with a queue of " + QUEUE + ", got: " + line);
        assertEquals(PRODUCED, Long.parseLong(counts.group(5)), line);
        assertEquals(PRODUCED, Long.parseLong(counts.group(6)), "recorded = exported + discarded: " + line);
    }

    @Test
    void aggregatesTheProcessorsCountsAndNoneOfTheServicesInstruments() {
        QueueDrops drops = new QueueDrops();
        try (SdkMeterProvider meters = QueueDrops.addTo(SdkMeterProvider.builder(), drops).build()) {
            LongCounter spans = meters.get("io.opentelemetry.sdk.trace").counterBuilder("processedSpans").build();
            spans.add(3, Attributes.of(AttributeKey.booleanKey("dropped"), true));
            spans.add(5, Attributes.of(AttributeKey.booleanKey("dropped"), false));
            meters.get("io.opentelemetry.sdk.logs").counterBuilder("otel.sdk.processor.log.processed").build()
                    .add(2, Attributes.of(AttributeKey.stringKey("error.type"), "queue_full"));
            // As the service's own counter and histogram, recorded on every request.
            meters.get("helloworld").counterBuilder("requests_total").build().add(1);
            meters.get("helloworld").histogramBuilder("task_duration").build().record(0.1);

            assertEquals(3, drops.spans(), "spans dropped");
            assertEquals(2, drops.logRecords(), "log records dropped");
            assertEquals(Set.of("processedSpans", "otel.sdk.processor.log.processed"), drops.aggregated(),
                    "what the drop reader keeps a storage of");
        }
    }
}
