package dev.helloworld.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentsTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .build();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger otel = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Incidents incidents;

    @BeforeEach
    void watchTheOtelLogger() {
        otel.addHandler(capture);
        incidents = new Incidents(sdk);
    }

    @AfterEach
    void stop() {
        incidents.stopAll();
        otel.removeHandler(capture);
        sdk.close();
    }

    @Test
    void nothingHappensToRequestsUntilAScenarioIsSwitchedOn() {
        assertEquals(Optional.empty(), incidents.beforeRequest("GET", "/helloworld"));
        assertEquals(List.of(), incidents.states());
        assertEquals(active(), active());
    }

    @Test
    void aSecondStartChangesTheParametersAndNeverStacks() {
        incidents.start(request("latency:delay=300ms"));
        incidents.start(request("latency:delay=5ms"));

        assertEquals(1, incidents.states().size(), "one latency incident: " + incidents.states());
        assertEquals("delay=5ms,share=1,distribution=fixed,after=none,for=none", incidents.states().get(0).parameters());
        long started = System.nanoTime();
        incidents.beforeRequest("GET", "/helloworld");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs >= 5 && tookMs < 300, "one delay of 5 ms, not 305: " + tookMs + " ms");
        assertEquals(List.of(
                "INFO scenario latency started (delay=300ms,share=1,distribution=fixed,after=none,for=none)",
                "INFO scenario latency ended: replaced by a new start (delay=300ms,share=1,distribution=fixed,after=none,for=none)",
                "INFO scenario latency started (delay=5ms,share=1,distribution=fixed,after=none,for=none)"), logged);
        assertEquals(active("latency"), active());
    }

    @Test
    void anIncidentRunsInItsWindowOnlyAndRecordsItsStartAndEndAsSpansAndLogRecords() {
        Incidents.State state = incidents.start(request("error-burst:rate=1,after=100ms,for=2s"));
        assertEquals(Incidents.Phase.SCHEDULED, state.phase());
        assertEquals(Optional.empty(), incidents.beforeRequest("GET", "/helloworld"), "nothing before its window");

        await(() -> incidents.states().get(0).phase() == Incidents.Phase.RUNNING, "the burst to start");
        assertTrue(incidents.beforeRequest("GET", "/helloworld").isPresent(), "a failure inside its window");
        assertEquals(active("error-burst"), active());
        await(() -> incidents.states().isEmpty(), "the window to end");
        assertEquals(Optional.empty(), incidents.beforeRequest("GET", "/helloworld"), "nothing after its window");
        assertEquals(active(), active());

        List<SpanData> truth = spans.getFinishedSpanItems().stream().filter(s -> s.getName().startsWith("scenario ")).toList();
        assertEquals(List.of("scenario start", "scenario end"), truth.stream().map(SpanData::getName).toList());
        for (SpanData span : truth) {
            assertEquals("error-burst", span.getAttributes().get(Truth.NAME));
            assertEquals("rate=1,route=*,after=100ms,for=2s", span.getAttributes().get(Truth.PARAMETERS));
            assertEquals(1, span.getEvents().size(), "one event on " + span.getName());
            assertEquals(span.getName().replace(' ', '.'), span.getEvents().get(0).getName());
            assertEquals(span.getAttributes().asMap(), span.getEvents().get(0).getAttributes().asMap());
        }
        long windowMs = (truth.get(1).getStartEpochNanos() - truth.get(0).getStartEpochNanos()) / 1_000_000;
        assertTrue(windowMs >= 1990 && windowMs < 3000, "recorded window of for=2s: " + windowMs + " ms");
        assertTrue(logged.contains("INFO scenario error-burst ended: its window ended (rate=1,route=*,after=100ms,for=2s)"),
                logged.toString());
    }

    /**
     * Three runs of a repeating burst: each starts a planned period after the one before (never
     * drifting by the lateness of the one before), lasts its for, and is in the log verify reads.
     * Margins of 150 ms for a loaded machine's timer; the period is 700 ms so that they cannot overlap.
     */
    @Test
    void aRepeatingIncidentStartsAgainEveryPeriodFromItsPlannedStartAndLogsEachRun() {
        Incidents.State first = incidents.start(request("error-burst:rate=1,route=/helloworld,after=200ms,for=300ms,every=700ms"));
        assertEquals(Incidents.Phase.SCHEDULED, first.phase());
        assertEquals(Optional.of(first.startsAt()), first.nextStartsAt(), "the next start of a scheduled one is its first");

        await(() -> incidents.ended().size() == 3, "three runs to end");
        Incidents.State between = incidents.states().get(0);
        assertEquals(first.startsAt().plusMillis(3 * 700), between.nextStartsAt().orElseThrow(),
                "the fourth run planned three periods after the first: " + between);

        List<IncidentLog.Incident> runs = incidents.ended();
        for (int i = 0; i < runs.size(); i++) {
            IncidentLog.Incident run = runs.get(i);
            long late = Duration.between(first.startsAt().plusMillis(i * 700L), run.start()).toMillis();
            assertTrue(late >= 0 && late < 150, "run " + i + " starts at its planned time: " + late + " ms late");
            long lasted = Duration.between(run.start(), run.end()).toMillis();
            assertTrue(lasted >= 300 && lasted < 450, "run " + i + " lasts its for=300ms: " + lasted + " ms");
            assertEquals("error-burst", run.scenario());
            assertEquals("rate=1,route=/helloworld,after=200ms,for=300ms,every=700ms", run.parameters());
            assertEquals("/helloworld", run.target());
            assertEquals("its window ended", run.why());
        }
        assertEquals(3, logged.stream().filter(l -> l.startsWith("INFO scenario error-burst ended: its window ended")).count(),
                logged.toString());
        incidents.stop(Scenario.ERROR_BURST, "test");
        assertEquals(List.of(), incidents.states(), "a stop ends the repeats too");
    }

    @Test
    void anErrorBurstFailsItsShareOfItsRouteOnlyAndLogsEachAtError() {
        incidents.start(request("error-burst:rate=1,route=/helloworld"));

        assertEquals(Optional.of(new RequestFailure(500, ErrorBurst.MESSAGE)), incidents.beforeRequest("GET", "/helloworld"));
        assertEquals(Optional.empty(), incidents.beforeRequest("GET", "/other"), "another route goes through");
        assertEquals(1, logged.stream().filter(l -> l.equals("SEVERE [scenario error-burst] got error -> " + ErrorBurst.MESSAGE))
                .count(), logged.toString());
    }

    @Test
    void stoppingEndsEveryIncidentAndRecordsWhy() {
        incidents.start(request("cpu-hotspot:burn=1ms"));
        incidents.start(request("latency:delay=1ms,after=1h"));
        assertEquals(Optional.empty(), incidents.stop(Scenario.ERROR_BURST, "test"), "nothing to stop");

        incidents.stopAll();

        assertEquals(List.of(), incidents.states());
        assertEquals(List.of("INFO scenario cpu-hotspot started (burn=1ms,share=1,after=none,for=none)",
                "INFO scenario cpu-hotspot ended: the service stopped (burn=1ms,share=1,after=none,for=none)"), logged,
                "a scheduled incident that never ran records nothing");
    }

    /** The gauge's values expected when {@code running} run: 1 for those, 0 for every other scenario. */
    private static Map<String, Long> active(String... running) {
        List<String> on = List.of(running);
        return java.util.Arrays.stream(Scenario.values()).collect(Collectors.toMap(Scenario::id, s -> on.contains(s.id()) ? 1L : 0L));
    }

    private Map<String, Long> active() {
        MetricData gauge = metrics.collectAllMetrics().stream().filter(m -> m.getName().equals("scenario.active"))
                .findFirst().orElseThrow();
        return gauge.getLongGaugeData().getPoints().stream().collect(Collectors.toMap(
                p -> p.getAttributes().get(AttributeKey.stringKey("scenario")), LongPointData::getValue));
    }

    private static ScenarioRequest request(String text) {
        return ((Parsed.Value<ScenarioRequest>) ScenarioRequest.parse(text)).value();
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
