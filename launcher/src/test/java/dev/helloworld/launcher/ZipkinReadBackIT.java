package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher verify --zipkin}: the run's traces read back from a real Zipkin server, fed by
 * the in-test collector as a collector's zipkin exporter would (see {@link ZipkinForwarder}).
 * One server for the class; each run has a run id and trace ids of its own.
 */
class ZipkinReadBackIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @TempDir
    static Path work;

    private static ZipkinServer zipkin;

    @BeforeAll
    static void startZipkin() throws Exception {
        zipkin = ZipkinServer.start(work);
    }

    @AfterAll
    static void stopZipkin() {
        if (zipkin != null) {
            zipkin.close();
        }
    }

    private static LauncherProcess verify(OtlpReceiver collector, String deadline) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", "--duration", "3s",
                "--manifest", work.resolve("manifest-" + System.nanoTime() + ".json").toString(),
                "--zipkin", zipkin.baseUri().toString(), "--deadline", deadline,
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(), "--enable-traces",
                "--service-name", "Verify-Zipkin", "--http-port", "0", "--query-rate", "5", "--work-scale", "0"));
        return LauncherProcess.start(LauncherProcess.dist(), Map.of(), args.toArray(String[]::new));
    }

    private static String line(LauncherProcess launcher, String signal) {
        return launcher.stdout().stream().filter(l -> l.startsWith(signal + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " line:\n" + launcher.output()));
    }

    @Test
    void everyTraceStoredWholeExitsZeroAndSaysWhenItWasVisible() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                ZipkinForwarder forwarder = ZipkinForwarder.faithful(collector, zipkin.baseUri());
                LauncherProcess launcher = verify(collector, "60s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            String traces = line(launcher, "traces");
            int sent = (int) collector.spans().stream().map(s -> OtlpReceiver.hex(s.getTraceId())).distinct().count();
            assertTrue(traces.matches("traces\\s+OK\\s+\\d+ ms\\s+http://127\\.0\\.0\\.1:\\d+/api/v2/trace/\\s+" + sent + "/" + sent
                    + " traces whole \\(" + collector.spans().size() + " spans\\) under service 'verify-zipkin', "
                    + "first visible after \\d+\\.\\d s, all after \\d+\\.\\d s"), launcher.output());
        }
    }

    @Test
    void tracesStoredUnderAnotherServiceNameAreNamedAsTheMismatch() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                ZipkinForwarder forwarder = ZipkinForwarder.start(collector, zipkin.baseUri(), span -> true,
                        name -> "renamed-by-pipeline");
                LauncherProcess launcher = verify(collector, "60s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "traces").matches("traces\\s+FAILED\\s+.*stored under service \\[renamed-by-pipeline\\], "
                    + "the run's service is 'verify-zipkin': find what renames the service.*"), launcher.output());
        }
    }

    @Test
    void aTraceMissingASpanIsNamedWithTheSpanItLacks() throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        Predicate<Span> loseOneHandlerSpan = span -> !(span.getName().equals("handle/hello_world") && lost.compareAndSet(false, true));
        try (OtlpReceiver collector = OtlpReceiver.start();
                ZipkinForwarder forwarder = ZipkinForwarder.start(collector, zipkin.baseUri(), loseOneHandlerSpan, name -> name);
                LauncherProcess launcher = verify(collector, "8s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            int sent = (int) collector.spans().stream().map(s -> OtlpReceiver.hex(s.getTraceId())).distinct().count();
            assertTrue(line(launcher, "traces").matches("traces\\s+FAILED\\s+.*1 of " + sent
                    + " traces not whole after \\d+\\.\\d s: [0-9a-f]{32} lacks \\[handle/hello_world\\]: spans were lost.*"),
                    launcher.output());
        }
    }

    @Test
    void aZipkinThatNeverShowsTheTracesFailsWithTheTimeWaited() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); LauncherProcess launcher = verify(collector, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "traces").matches("traces\\s+FAILED\\s+\\d+ ms\\s+\\S+\\s+none of the run's \\d+ traces "
                    + "\\(run id [0-9a-f]{16}\\) appeared within 3\\.\\d s \\(last answer: HTTP 404\\): send traces to this Zipkin.*"),
                    launcher.output());
        }
    }
}
