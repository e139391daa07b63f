package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The five scenarios after the first four: what each does, within its ceiling, and that it stops. */
class ScenarioKindsTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();

    @AfterEach
    void close() {
        sdk.close();
    }

    @Test
    void gcPressureMakesTheCollectorWorkWithinItsLiveBoundAndStopsAtTheEnd() {
        GcPressure pressure = new GcPressure(parameters("gc-pressure:rate=256,live=0.05"));
        assertEquals(256L * 1024 * 1024, pressure.bytesPerSecond(), 256 * 1024 * 100, "256 MiB/s, to the tick");
        assertTrue(pressure.liveBound() <= 0.05 * Runtime.getRuntime().maxMemory(), "live set within its share: "
                + pressure.liveBound());
        try {
            pressure.started();
            // 256 MiB/s fills any test JVM's young generation several times a second; nothing else
            // allocates here, so each cleared reference is a collection the churn caused.
            for (int i = 0; i < 3; i++) {
                WeakReference<Object> canary = new WeakReference<>(new Object());
                await(() -> canary.get() == null, "collection " + (i + 1) + " of 3");
            }
        } finally {
            pressure.ended();
        }
        assertTrue(pressure.liveBound() > 0, "a live set to promote");
    }

    @Test
    void lockContentionSerialisesRequestsOnItsNamedMonitor() throws Exception {
        LockContention contention = new LockContention(parameters("lock-contention:hold=300ms,share=1"));
        Thread first = new Thread(() -> contention.onRequest("GET", "/helloworld"), "first");
        Thread second = new Thread(() -> contention.onRequest("GET", "/helloworld"), "second");
        long started = System.nanoTime();
        first.start();
        await(() -> first.getState() == Thread.State.TIMED_WAITING,
                "the first request to hold the monitor");
        second.start();
        await(() -> second.getState() == Thread.State.BLOCKED, "the second request to block on the monitor");
        first.join();
        second.join();
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 600, "two holds of 300 ms one after the other: " + tookMs + " ms");
    }

    @Test
    void anUnreachableDownstreamIsAFailedClientSpanAndA502() {
        Downstream downstream = new Downstream(parameters("downstream:mode=unreachable,share=1"), sdk);
        SpanData client = callThrough(downstream, 502);
        assertEquals("java.net.ConnectException", client.getAttributes().get(AttributeKey.stringKey("error.type")));
        assertClientDuration("java.net.ConnectException");
    }

    @Test
    void aSlowDownstreamTimesOutAfterItsTimeoutAsAFailedClientSpanAndA504() {
        Downstream downstream = new Downstream(parameters("downstream:mode=slow,share=1,timeout=300ms"), sdk);
        SpanData client = callThrough(downstream, 504);
        assertEquals("java.net.SocketTimeoutException", client.getAttributes().get(AttributeKey.stringKey("error.type")));
        long ms = (client.getEndEpochNanos() - client.getStartEpochNanos()) / 1_000_000;
        // Not much more either: 2 s is far beyond any scheduling delay of a loaded machine.
        assertTrue(ms >= 300 && ms < 2300, "the call waited its timeout of 300 ms: " + ms + " ms");
        assertClientDuration("java.net.SocketTimeoutException");
    }

    @Test
    void aLogFloodWritesItsRateAndStopsAtTheEnd() {
        AtomicInteger records = new AtomicInteger();
        Logger otel = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
        boolean parents = otel.getUseParentHandlers();
        Handler count = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage().startsWith(LogFlood.PREFIX)) {
                    records.incrementAndGet();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        otel.addHandler(count);
        otel.setUseParentHandlers(false); // 2 000 console lines say nothing
        LogFlood flood = new LogFlood(parameters("log-flood:rate=1000"));
        try {
            long started = System.nanoTime();
            flood.started();
            await(() -> System.nanoTime() - started >= 2_000_000_000L, "two seconds");
            flood.ended();
            double seconds = (System.nanoTime() - started) / 1e9;
            int written = records.get();
            // It catches up with its rate at each 10 ms tick: short of it by a tick at most, never above it.
            assertTrue(written <= 1000 * seconds + 1 && written >= 1000 * seconds - 50,
                    written + " records in " + seconds + " s at 1000/s");
            int atEnd = records.get();
            long after = System.nanoTime() + 200_000_000L;
            await(() -> System.nanoTime() > after, "200 ms");
            assertEquals(atEnd, records.get(), "nothing after the end");
        } finally {
            flood.ended();
            otel.removeHandler(count);
            otel.setUseParentHandlers(parents);
        }
    }

    @Test
    void aCardinalityBurstReportsEachValueUpToTheSdksLimitAndTheRestAsOverflow() {
        CardinalityBurst small = new CardinalityBurst(parameters("cardinality-burst:values=50"), sdk);
        small.started();
        assertEquals(50, points().size(), "a series for each of 50 values");
        small.ended();
        assertEquals(0, points().size(), "no series after the end");

        CardinalityBurst large = new CardinalityBurst(parameters("cardinality-burst:values=2500"), sdk);
        large.started();
        List<LongPointData> points = points();
        large.ended();
        long overflow = points.stream().filter(p -> Boolean.TRUE.equals(
                p.getAttributes().get(AttributeKey.booleanKey("otel.metric.overflow")))).count();
        long distinct = points.stream().map(p -> p.getAttributes().get(CardinalityBurst.VALUE)).filter(v -> v != null)
                .distinct().count();
        assertEquals(1999, distinct, "the SDK's default limit of 2000 series, less the overflow one");
        assertEquals(1, overflow, "the other 501 values folded into one series");
    }

    @Test
    void aCardinalityBurstPutsOneOfItsValuesOnEachRequestsSpan() {
        CardinalityBurst burst = new CardinalityBurst(parameters("cardinality-burst:values=3"), sdk);
        for (int i = 0; i < 60; i++) {
            Span span = sdk.getTracer("test").spanBuilder("GET /helloworld").startSpan();
            try (Scope ignored = span.makeCurrent()) {
                burst.onRequest("GET", "/helloworld");
            } finally {
                span.end();
            }
        }
        assertEquals(List.of("v00000", "v00001", "v00002"), spans.getFinishedSpanItems().stream()
                .map(s -> s.getAttributes().get(CardinalityBurst.VALUE)).distinct().sorted().toList(),
                "every one of 3 values over 60 requests (each misses with odds of (2/3)^60)");
    }

    /** One request through the effect inside a server span: its answer, and the one client span under it. */
    private SpanData callThrough(Downstream downstream, int status) {
        downstream.started();
        Optional<RequestFailure> failure;
        Span server = sdk.getTracer("test").spanBuilder("GET /helloworld").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = server.makeCurrent()) {
            failure = downstream.onRequest("GET", "/helloworld");
        } finally {
            server.end();
            downstream.ended();
        }
        assertEquals(status, failure.map(RequestFailure::status).orElse(0), failure.toString());
        List<SpanData> clients = spans.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
        assertEquals(1, clients.size(), "one client span, no retry: " + spans.getFinishedSpanItems());
        SpanData client = clients.get(0);
        assertEquals(server.getSpanContext().getSpanId(), client.getParentSpanId(), "under the server span");
        assertEquals(StatusCode.ERROR, client.getStatus().getStatusCode());
        assertEquals("127.0.0.1", client.getAttributes().get(AttributeKey.stringKey("server.address")));
        assertEquals(downstream.port(), client.getAttributes().get(AttributeKey.longKey("server.port")));
        return client;
    }

    private void assertClientDuration(String errorType) {
        MetricData duration = metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("http.client.request.duration"))
                .findFirst().orElseThrow(() -> new AssertionError("no http.client.request.duration"));
        List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
        assertEquals(1, points.size(), points.toString());
        assertEquals(1, points.get(0).getCount());
        assertEquals(errorType, points.get(0).getAttributes().get(AttributeKey.stringKey("error.type")));
    }

    private List<LongPointData> points() {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(CardinalityBurst.INSTRUMENT))
                .flatMap(m -> m.getLongGaugeData().getPoints().stream()).toList();
    }

    private static Parameters parameters(String text) {
        return ((Parsed.Value<ScenarioRequest>) ScenarioRequest.parse(text)).value().parameters();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + what + " within 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
