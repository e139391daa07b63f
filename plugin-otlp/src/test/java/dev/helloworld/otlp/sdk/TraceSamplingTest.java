package dev.helloworld.otlp.sdk;

import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.otlp.CollectorTroubleTest;
import dev.helloworld.otlp.TestHost;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limit of new traces per second, through the real SDK to a real receiver: what comes over it
 * is left out whole (spans and log records), what is kept is complete, and OTEL_TRACES_SAMPLER
 * still decides when it is set.
 */
class TraceSamplingTest {

    private static final int LIMIT = 25;
    private static final int TRACES = 60;
    private static final Pattern REFUSED = Pattern.compile("traces: (\\d+) spans recorded, (\\d+) exported, 0 discarded, "
            + "new traces not recorded: (\\d+) \\(rate limit\\), 0 \\(exporter behind\\); "
            + "logs: (\\d+) log records recorded, (\\d+) exported, 0 discarded");

    private final OtlpReceiver receiver = OtlpReceiver.start();
    private final CollectorTroubleTest.Records serviceLog = CollectorTroubleTest.Records.of("helloworld.otlp");

    @AfterEach
    void cleanUp() {
        serviceLog.close();
        receiver.close();
        System.clearProperty("otel.traces.sampler");
    }

    /**
     * By default, as the specification says, every log record is exported, those of the traces
     * left out without trace ids; with --logs-trace-based they are left out with their trace.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    @SuppressWarnings("try") // scopes are held open for their effect, not read
    void tracesOverTheLimitAreLeftOutWholeAndTheirLogRecordsAsConfigured(boolean traceBased) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("otlp.exporter", "http",
                "otlp.endpoint", receiver.httpEndpoint().toString(), "enable.traces", "true", "enable.logs", "true",
                "trace.rate.limit", String.valueOf(LIMIT), "logs.trace.based", String.valueOf(traceBased)));
        Logger otelLogger = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
        long started;
        long elapsed;
        try (TestHost host = TestHost.start(flags)) {
            Tracer tracer = host.otel().getTracer("test");
            started = System.nanoTime();
            for (int i = 0; i < TRACES; i++) {
                Span root = tracer.spanBuilder("root " + i).startSpan();
                try (Scope r = root.makeCurrent()) {
                    Span child = tracer.spanBuilder("child " + i).startSpan();
                    try (Scope c = child.makeCurrent()) {
                        otelLogger.info("inside " + i);
                    } finally {
                        child.end();
                    }
                } finally {
                    root.end();
                }
            }
            elapsed = System.nanoTime() - started;
            otelLogger.info("outside any trace");
        }

        Map<String, String> traceOfSpan = receiver.spans().stream()
                .collect(Collectors.toMap(s -> s.getName(), s -> hex(s.getTraceId())));
        List<Integer> kept = java.util.stream.IntStream.range(0, TRACES)
                .filter(i -> traceOfSpan.containsKey("root " + i)).boxed().toList();
        // A fifth of a second's worth at once, then one per 40 ms for as long as the loop ran.
        int burst = TraceRateLimit.burst(LIMIT);
        long allowed = burst + elapsed / (1_000_000_000L / LIMIT) + 1;
        assertTrue(kept.size() >= burst && kept.size() <= allowed && kept.size() < TRACES,
                kept.size() + " traces kept of " + TRACES + " in " + elapsed / 1_000_000 + " ms: " + kept);
        assertEquals(List.of(0, 1, 2, 3, 4), kept.subList(0, burst), "the first burst");

        Map<String, String> traceOfLog = receiver.logRecords().stream()
                .collect(Collectors.toMap(r -> OtlpReceiver.text(r.getBody()), r -> hex(r.getTraceId())));
        for (int i : kept) {
            assertEquals(traceOfSpan.get("root " + i), traceOfSpan.get("child " + i), "the child of root " + i);
            assertEquals(traceOfSpan.get("root " + i), traceOfLog.get("inside " + i), "the log record of root " + i);
        }
        Set<String> expectedSpans = kept.stream().flatMap(i -> java.util.stream.Stream.of("root " + i, "child " + i))
                .collect(Collectors.toSet());
        assertEquals(expectedSpans, traceOfSpan.keySet(), "spans of the traces left out");
        if (traceBased) {
            assertEquals(kept.size() + 1, traceOfLog.size(), "log records: " + traceOfLog.keySet());
        } else {
            assertEquals(TRACES + 1, traceOfLog.size(), "every log record: " + traceOfLog.keySet());
            for (int i = 0; i < TRACES; i++) {
                if (!kept.contains(i)) {
                    assertEquals("", traceOfLog.get("inside " + i), "no ids of a trace left out on record " + i);
                }
            }
        }
        assertTrue(traceOfLog.get("outside any trace").isEmpty(), "a record outside any trace is kept");

        String summary = serviceLog.messages().stream().filter(m -> REFUSED.matcher(m).find()).findFirst()
                .orElseThrow(() -> new AssertionError("a summary that counts the traces left out: " + serviceLog.messages()));
        Matcher counts = REFUSED.matcher(summary);
        assertTrue(counts.find());
        assertEquals(2L * kept.size(), Long.parseLong(counts.group(2)), summary);
        assertEquals(traceOfLog.size(), Long.parseLong(counts.group(5)), "log records exported: " + summary);
        assertEquals(TRACES - kept.size(), Integer.parseInt(counts.group(3)), summary);
        assertTrue(serviceLog.messages().stream().anyMatch(m -> m.contains("; new traces recorded up to " + LIMIT + "/s;")),
                "the start line names the limit: " + serviceLog.messages());
    }

    @Test
    void theLimitIsTheDefaultRootSamplerWhenTracesAreOn() throws Exception {
        assertEquals(List.of("TraceRateLimit{2500/s}"), roots(Map.of("enable.traces", "true")));
        assertEquals(List.of("TraceRateLimit{7/s}"), roots(Map.of("enable.traces", "true", "trace.rate.limit", "7")));
        assertEquals(List.of("AlwaysOnSampler"), roots(Map.of("enable.traces", "true", "trace.rate.limit", "0")),
                "0 keeps every trace: autoconfigure's default");
        assertEquals(List.of("AlwaysOnSampler"), roots(Map.of("enable.traces", "false")),
                "traces off: spans are still made for the log records' ids, and never limited");
    }

    @Test
    void otelTracesSamplerReplacesTheLimitUnlessTheLimitIsGivenToo() throws Exception {
        System.setProperty("otel.traces.sampler", "parentbased_traceidratio");
        assertEquals(List.of("TraceIdRatioBased{1.000000}"), roots(Map.of("enable.traces", "true")));
        assertEquals(List.of("TraceRateLimit{9/s}"), roots(Map.of("enable.traces", "true", "trace.rate.limit", "9")));
    }

    /** The root samplers of the SDK built from {@code flags}, as its tracer provider describes them. */
    private List<String> roots(Map<String, String> flags) throws Exception {
        Map<String, String> all = new HashMap<>(flags);
        all.put("otlp.exporter", "none");
        TelemetrySdk telemetry = TelemetrySdk.build(TestHost.config(all));
        try {
            Matcher m = Pattern.compile("root:(\\w+(\\{[^}]*\\})?)")
                    .matcher(telemetry.sdk().getSdkTracerProvider().getSampler().getDescription());
            return m.find() ? List.of(m.group(1)) : List.of();
        } finally {
            telemetry.sdk().shutdown();
        }
    }
}
