package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A collector slower than production: the batch queues stay bounded and the summary counts the drops. */
class QueueDropsTest {

    /** A power of two: the span processor's queue rounds its capacity up to one. */
    private static final int QUEUE = 16;
    private static final int BATCH = 5;
    private static final int PRODUCED = 100;
    private static final Pattern SUMMARY = Pattern.compile(
            "traces: (\\d+) spans exported, (\\d+) failed, (\\d+) dropped \\(queue full\\); "
                    + "logs: (\\d+) log records exported, (\\d+) failed, (\\d+) dropped \\(queue full\\)");

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
    void whatDoesNotFitTheQueueOfAHangingCollectorIsCountedAsDropped() throws Exception {
        System.setProperty("otel.bsp.max.queue.size", String.valueOf(QUEUE));
        System.setProperty("otel.bsp.max.export.batch.size", String.valueOf(BATCH));
        System.setProperty("otel.blrp.max.queue.size", String.valueOf(QUEUE));
        System.setProperty("otel.blrp.max.export.batch.size", String.valueOf(BATCH));
        receiver.hang();
        TestHost host = TestHost.start(Map.of("otlp.exporter", "http", "otlp.endpoint", receiver.httpEndpoint().toString(),
                "enable.traces", "true", "enable.logs", "true", "shutdown.timeout", "1s"));
        Tracer tracer = host.otel().getTracer("test");
        for (int i = 0; i < PRODUCED; i++) {
            tracer.spanBuilder("span " + i).startSpan().end();
            Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("record " + i);
        }
        host.stop();

        String line = serviceLog.messages().stream().filter(m -> SUMMARY.matcher(m).find()).findFirst()
                .orElseThrow(() -> new AssertionError("a summary with drops, in " + serviceLog.messages()));
        Matcher counts = SUMMARY.matcher(line);
        assertTrue(counts.find());
        // At most one queue and one batch in the exporter's hands are not dropped; the rest are.
        for (int group : new int[] {3, 6}) {
            long dropped = Long.parseLong(counts.group(group));
            assertTrue(dropped >= PRODUCED - QUEUE - BATCH && dropped <= PRODUCED - QUEUE,
                    "expected " + (PRODUCED - QUEUE - BATCH) + " to " + (PRODUCED - QUEUE) + " dropped of "
                            + PRODUCED + " with a queue of " + QUEUE + ", got: " + line);
        }
    }
}
