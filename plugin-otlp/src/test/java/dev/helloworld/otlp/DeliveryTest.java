package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batches the collector could not take are kept and sent again, oldest first, through the real
 * SDK (batch processor with reusable export data, OTLP exporter) to a real receiver. The SDK's own
 * retries are off, so that each refusal costs one request and no backoff.
 */
class DeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int BATCHES = 8;

    private final OtlpReceiver receiver = OtlpReceiver.start();
    private final CollectorTroubleTest.Records serviceLog = CollectorTroubleTest.Records.of("helloworld.otlp");

    @BeforeEach
    void noSdkRetries() {
        System.setProperty("otel.java.exporter.otlp.retry.disabled", "true");
    }

    @AfterEach
    void cleanUp() {
        System.clearProperty("otel.java.exporter.otlp.retry.disabled");
        serviceLog.close();
        receiver.close();
    }

    private TestHost start(String transport, String... more) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("otlp.exporter", transport,
                "otlp.endpoint", receiver.endpoint(transport).toString(), "enable.traces", "true"));
        for (int i = 0; i < more.length; i += 2) {
            flags.put(more[i], more[i + 1]);
        }
        return TestHost.start(flags);
    }

    /** One span per batch: each is ended, then flushed on its own. */
    private static void exportOneByOne(TestHost host, String prefix) {
        Tracer tracer = host.otel().getTracer("test");
        for (int i = 0; i < BATCHES; i++) {
            tracer.spanBuilder(prefix + i).startSpan().end();
            ((OpenTelemetrySdk) host.otel()).getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void whatARetryableRefusalTurnedBackArrivesLaterOldestFirst(String transport) throws Exception {
        // 503 / UNAVAILABLE for the first three exports: the oldest batch is tried at every export until it passes.
        receiver.failNext(OtlpReceiver.TRACES, 3, 503);
        try (TestHost host = start(transport)) {
            exportOneByOne(host, "span ");
        }

        List<String> names = receiver.spans().stream().map(s -> s.getName()).toList();
        assertEquals(IntStream.range(0, BATCHES).mapToObj(i -> "span " + i).toList(), names,
                "every span once, in the order they ended; refused " + receiver.refusedCount() + serviceLog.messages());
        assertTrue(serviceLog.messages().contains("traces: " + BATCHES + " spans recorded, " + BATCHES + " exported, "
                + "0 discarded, new traces not recorded: 0 (rate limit), 0 (exporter behind)"), serviceLog.messages().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void aRefusalNoRetryFixesIsCountedAndNotSentAgain(String transport) throws Exception {
        receiver.failNext(OtlpReceiver.TRACES, 2, 401);
        try (TestHost host = start(transport)) {
            exportOneByOne(host, "span ");
        }

        assertEquals(2, receiver.refusedCount(), "each refused batch was sent once");
        assertEquals(IntStream.range(2, BATCHES).mapToObj(i -> "span " + i).toList(),
                receiver.spans().stream().map(s -> s.getName()).toList(), serviceLog.messages().toString());
        assertTrue(serviceLog.messages().stream().anyMatch(m -> m.startsWith("traces: " + BATCHES + " spans recorded, "
                + (BATCHES - 2) + " exported, 2 discarded (refused 2)")), serviceLog.messages().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http"})
    void pastTheBufferBoundTheOldestBatchesAreDiscardedAndCounted(String transport) throws Exception {
        int grpcPort = receiver.grpcEndpoint().getPort();
        int httpPort = receiver.httpEndpoint().getPort();
        receiver.stop();
        // About two spans' worth of heap (HeapSize: some 600 bytes a span of this kind).
        try (TestHost host = start(transport, "retry.buffer", "1300B")) {
            exportOneByOne(host, "span ");
            try (OtlpReceiver back = OtlpReceiver.startOn(grpcPort, httpPort)) {
                host.stop();
                List<String> names = back.spans().stream().map(s -> s.getName()).toList();
                assertEquals(List.of("span " + (BATCHES - 2), "span " + (BATCHES - 1)), names, "the newest that fit");
            }
        }
        assertTrue(serviceLog.messages().stream().anyMatch(m -> m.startsWith("traces: " + BATCHES + " spans recorded, 2 exported, "
                + (BATCHES - 2) + " discarded (buffer full " + (BATCHES - 2) + ")")), serviceLog.messages().toString());
    }
}
