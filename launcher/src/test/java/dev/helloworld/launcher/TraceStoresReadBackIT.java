package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.TraceQueryFake;
import dev.helloworld.testkit.TraceQueryFake.Flavour;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher verify --tempo/--jaeger}: the run's traces read back by id from Tempo's and
 * Jaeger's query APIs (the testkit's {@link TraceQueryFake}, which answers as their docs show).
 */
class TraceStoresReadBackIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private LauncherProcess verify(OtlpReceiver collector, String deadline, String... backends) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--duration", "3s",
                "--manifest", work.resolve("manifest.json").toString(), "--deadline", deadline,
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(), "--enable-traces",
                "--service-name", "verify-traces", "--http-port", "0", "--query-rate", "5", "--work-scale", "0"));
        args.addAll(List.of(backends));
        return LauncherProcess.start(LauncherProcess.dist(), Map.of(), args.toArray(String[]::new));
    }

    private static List<String> lines(LauncherProcess launcher, String signal) {
        return launcher.stdout().stream().filter(l -> l.startsWith(signal + " ")).toList();
    }

    private static int tracesSent(OtlpReceiver collector) {
        return (int) collector.spans().stream().map(s -> OtlpReceiver.hex(s.getTraceId())).distinct().count();
    }

    @Test
    void everyTraceWholeInTempoAndInJaegerExitsZeroWithALineForEach() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                TraceQueryFake tempo = TraceQueryFake.start(collector, Flavour.TEMPO, span -> true, "");
                TraceQueryFake jaeger = TraceQueryFake.start(collector, Flavour.JAEGER, span -> true, "");
                LauncherProcess launcher = verify(collector, "30s", "--tempo", tempo.baseUri().toString(),
                        "--jaeger", jaeger.baseUri().toString())) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            int sent = tracesSent(collector);
            List<String> traces = lines(launcher, "traces");
            assertEquals(2, traces.size(), launcher.output());
            assertTrue(traces.stream().allMatch(l -> l.matches("traces\\s+OK\\s+\\d+ ms\\s+http://127\\.0\\.0\\.1:\\d+/api/traces/\\s+"
                    + sent + "/" + sent + " traces whole \\(" + collector.spans().size() + " spans\\) under service 'verify-traces', .*")),
                    launcher.output());
        }
    }

    @Test
    void aTempoTraceMissingASpanIsNamed() throws Exception {
        // The same span on every query: the handler span of the first trace asked for.
        AtomicReference<String> victim = new AtomicReference<>();
        Predicate<Span> loseOne = span -> !(span.getName().equals("handle/hello_world")
                && (victim.compareAndSet(null, OtlpReceiver.hex(span.getTraceId()))
                        || victim.get().equals(OtlpReceiver.hex(span.getTraceId()))));
        try (OtlpReceiver collector = OtlpReceiver.start();
                TraceQueryFake tempo = TraceQueryFake.start(collector, Flavour.TEMPO, loseOne, "");
                LauncherProcess launcher = verify(collector, "5s", "--tempo", tempo.baseUri().toString())) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(lines(launcher, "traces").get(0).matches("traces\\s+FAILED\\s+.*1 of " + tracesSent(collector)
                    + " traces not whole after \\d+\\.\\d s: [0-9a-f]{32} lacks \\[handle/hello_world\\]: spans were lost.*"),
                    launcher.output());
        }
    }

    @Test
    void jaegerTracesUnderAnotherServiceAreNamedAsTheMismatch() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                TraceQueryFake jaeger = TraceQueryFake.start(collector, Flavour.JAEGER, span -> true, "unknown_service:java");
                LauncherProcess launcher = verify(collector, "30s", "--jaeger", jaeger.baseUri().toString())) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(lines(launcher, "traces").get(0).matches("traces\\s+FAILED\\s+.*stored under service "
                    + "\\[unknown_service:java\\], the run's service is 'verify-traces': find what renames the service "
                    + "between the SDK and Jaeger.*"), launcher.output());
        }
    }
}
