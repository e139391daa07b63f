package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.otlp.sdk.TelemetrySdk;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 33: the logical services of the process share its delivery budget. With the collector
 * absent, the spans of the process and of five logical services all go through the process's one
 * retry buffer, which never holds more than the process's bound, and are all counted in the
 * process's summary.
 */
class LogicalServiceBudgetTest {

    private static final long BOUND = 64 * 1024;
    private static final int SERVICES = 5;
    private static final int SPANS_EACH = 600;
    /** Small batches, so that the buffer holds several before it is full and has to discard. */
    private static final int BATCH = 32;
    private static final List<String> PROPERTIES = List.of("otel.java.exporter.otlp.retry.disabled",
            "otel.bsp.max.export.batch.size");

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void cleanUp() {
        receiver.close();
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void withTheCollectorAbsentEveryServicesSpansShareTheProcesssOneRetryBufferAndItsBound() throws Exception {
        receiver.stop();
        // No retries inside the exporter, so that each batch fails at once and goes to the buffer.
        System.setProperty("otel.java.exporter.otlp.retry.disabled", "true");
        System.setProperty("otel.bsp.max.export.batch.size", String.valueOf(BATCH));
        TelemetrySdk telemetry = TelemetrySdk.build(TestHost.config(Map.of("otlp.exporter", "http",
                "otlp.endpoint", receiver.httpEndpoint().toString(), "enable.traces", "true", "enable.logs", "false",
                "enable.metrics", "false", "retry.buffer", BOUND + "B", "trace.rate.limit", "0")));
        LogicalServiceSdks logical = new LogicalServiceSdks(telemetry);
        List<OpenTelemetry> services = new ArrayList<>();
        services.add(telemetry.sdk());
        for (int i = 0; i < SERVICES; i++) {
            services.add(logical.forService("shop-" + i));
        }
        try {
            for (int n = 0; n < SPANS_EACH; n++) {
                for (OpenTelemetry service : services) {
                    Tracer tracer = service.getTracer("test");
                    tracer.spanBuilder("while absent " + n).startSpan().end();
                }
            }
            // Every batch exported (and failed, and kept or discarded) before the counts are read.
            telemetry.sdk().getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        } finally {
            telemetry.stop().stopBy(System.nanoTime() + Duration.ofSeconds(1).toNanos());
            logical.shutdown().join(5, TimeUnit.SECONDS);
            telemetry.sdk().shutdown().join(5, TimeUnit.SECONDS);
        }

        long made = (long) (SERVICES + 1) * SPANS_EACH;
        assertEquals(made, telemetry.spans().recorded(),
                "the process's counts hold every span of the process and its " + SERVICES + " logical services");
        long peak = telemetry.spans().peakKeptBytes();
        assertTrue(peak <= BOUND, "the one retry buffer held at most " + BOUND + " bytes, held " + peak);
        // Full, or nearly: a batch more would not have fitted. Shows the bound was reached, not just respected.
        assertTrue(peak > BOUND / 2, "the buffer filled up to its bound during the outage: peak " + peak);
        assertTrue(receiver.requests().isEmpty(), "nothing received from an absent collector");
    }
}
