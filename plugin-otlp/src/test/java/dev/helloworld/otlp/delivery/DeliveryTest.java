package dev.helloworld.otlp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batches the collector could not take are kept and sent again, oldest first: {@link Delivery}
 * in front of the SDK's real OTLP exporter (reusable export data, no retries of its own, so that
 * each refusal costs one request), sending real spans to a real receiver. Each span is exported
 * as a batch of its own, in a list that is cleared once export returns, as the batch processor
 * does; the whole pipeline is tested through the launcher (DeliveryIT).
 */
class DeliveryTest {

    private static final int BATCHES = 8;

    private final OtlpReceiver receiver = OtlpReceiver.start();
    private final ExportCounts counts = new ExportCounts("spans", () -> 0);

    @AfterEach
    void cleanUp() {
        receiver.close();
    }

    private SpanExporter delivery(String transport, int grpcPort, int httpPort, long bufferBytes) {
        SpanExporter exporter = transport.equals(OtlpReceiver.GRPC)
                ? OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + grpcPort).setRetryPolicy(null)
                        .setMemoryMode(MemoryMode.REUSABLE_DATA).build()
                : OtlpHttpSpanExporter.builder().setEndpoint("http://127.0.0.1:" + httpPort + "/v1/traces")
                        .setRetryPolicy(null).setMemoryMode(MemoryMode.REUSABLE_DATA).build();
        return Delivery.of(exporter, bufferBytes, counts, new Delivery.Timing());
    }

    private SpanExporter delivery(String transport) {
        return delivery(transport, receiver.grpcEndpoint().getPort(), receiver.httpEndpoint().getPort(), 1 << 20);
    }

    /** Exports spans named span 0, span 1, ... one batch each, reusing the list as the processor does. */
    private void exportOneByOne(SpanExporter exporter) {
        List<SpanData> batch = new ArrayList<>();
        for (SpanData span : spans()) {
            batch.add(span);
            counts.recorded(1);
            exporter.export(java.util.Collections.unmodifiableList(batch)).join(10, TimeUnit.SECONDS);
            batch.clear();
        }
    }

    private List<String> received() {
        return receiver.spans().stream().map(s -> s.getName()).toList();
    }

    private static List<String> named(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "span " + i).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void whatARetryableRefusalTurnedBackArrivesLaterOldestFirst(String transport) {
        // 503 / UNAVAILABLE for the first three sends: the oldest batch is tried at every export until it passes.
        receiver.failNext(OtlpReceiver.TRACES, 3, 503);
        SpanExporter exporter = delivery(transport);
        exportOneByOne(exporter);
        exporter.shutdown().join(10, TimeUnit.SECONDS);

        assertEquals(named(0, BATCHES), received(), "every span once, in the order they ended");
        assertEquals(3, receiver.refusedCount());
        assertEquals(BATCHES + " spans recorded, " + BATCHES + " exported, 0 discarded", counts.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void aRefusalNoRetryFixesIsCountedAndNotSentAgain(String transport) {
        receiver.failNext(OtlpReceiver.TRACES, 2, 401);
        SpanExporter exporter = delivery(transport);
        exportOneByOne(exporter);
        exporter.shutdown().join(10, TimeUnit.SECONDS);

        assertEquals(named(2, BATCHES), received(), "the refused batches are not sent again");
        assertEquals(BATCHES + " spans recorded, " + (BATCHES - 2) + " exported, 2 discarded (refused 2)", counts.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void pastTheBufferBoundTheOldestBatchesAreDiscardedAndCounted(String transport) {
        int grpcPort = receiver.grpcEndpoint().getPort();
        int httpPort = receiver.httpEndpoint().getPort();
        receiver.stop();
        // Room for two of these spans (HeapSize: 466 bytes each).
        SpanExporter exporter = delivery(transport, grpcPort, httpPort, 1000);
        exportOneByOne(exporter);
        try (OtlpReceiver back = OtlpReceiver.startOn(grpcPort, httpPort)) {
            exporter.shutdown().join(10, TimeUnit.SECONDS);

            assertEquals(named(BATCHES - 2, BATCHES), back.spans().stream().map(s -> s.getName()).toList(),
                    "the newest that fit, sent once the collector is back");
        }
        assertEquals(BATCHES + " spans recorded, 2 exported, " + (BATCHES - 2) + " discarded (buffer full "
                + (BATCHES - 2) + ")", counts.summary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http"})
    void whatIsKeptGoesOutOnItsOwnOnceTheCollectorIsBackWithoutANewBatch(String transport) throws InterruptedException {
        int grpcPort = receiver.grpcEndpoint().getPort();
        int httpPort = receiver.httpEndpoint().getPort();
        receiver.stop();
        SpanExporter exporter = delivery(transport, grpcPort, httpPort, 1 << 20);
        exportOneByOne(exporter);
        try (OtlpReceiver back = OtlpReceiver.startOn(grpcPort, httpPort)) {
            // Within two resend periods, and no export, flush or shutdown meanwhile.
            back.awaitSpans(spans -> spans.size() == BATCHES, Delivery.Timing.RESEND_EVERY.multipliedBy(2).plusSeconds(5));
            assertEquals(named(0, BATCHES), back.spans().stream().map(s -> s.getName()).toList());
            // The collector has the last batch a moment before the exporter has its answer.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (counts.exported() < BATCHES && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertEquals(BATCHES + " spans recorded, " + BATCHES + " exported, 0 discarded", counts.summary());
        } finally {
            exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    /** Ended spans made by the SDK, named span 0 to span 7. */
    private static List<SpanData> spans() {
        List<SpanData> ended = new ArrayList<>();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                    @Override
                    public CompletableResultCode export(Collection<SpanData> spans) {
                        ended.addAll(spans);
                        return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode flush() {
                        return CompletableResultCode.ofSuccess();
                    }

                    @Override
                    public CompletableResultCode shutdown() {
                        return CompletableResultCode.ofSuccess();
                    }
                })).build()) {
            for (int i = 0; i < BATCHES; i++) {
                provider.get("test").spanBuilder("span " + i).startSpan().end();
            }
        }
        return ended;
    }
}
