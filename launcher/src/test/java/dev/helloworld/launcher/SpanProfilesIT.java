package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.PyroscopeReceiver.Sample;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 through the real process: the CPU samples of a request's work, which runs on an Undertow
 * worker while its server span started on an I/O thread, carry the request's local root span, for
 * requests from an outside client and for the querier's calls, with the root's final name. Judged
 * over the whole run from the uploaded JFR and the exported spans, as shares, for the requests sent
 * from readiness on ({@code /readyz} waits for the profiler; the server answers before it).
 */
class SpanProfilesIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Map<String, String> CLEAN = Map.of("PATH", "/usr/bin:/bin");
    private static final String IN_WORK = "dev.helloworld.http.CpuWork.doSomething";
    private static final String ROOT = "GET /helloworld";
    /** Outside requests, one at a time, with the querier's calls alongside. */
    private static final int REQUESTS = 20;
    private static final int QUERIER_CALLS = 10;

    @TempDir
    Path dir;

    @Test
    void linksTheWorkOfEveryRequestToItsLocalRootThroughBinLauncher() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), args(otlp, pyroscope))) {
            assertLinked(launcher, otlp, pyroscope, "dist, module path");
        }
    }

    @Test
    void linksTheWorkOfEveryRequestToItsLocalRootOnTheClassPath() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("LAUNCHER_MODE", "classpath"),
                        args(otlp, pyroscope))) {
            assertLinked(launcher, otlp, pyroscope, "dist, class path");
        }
    }

    @Test
    void linksTheWorkOfEveryRequestToItsLocalRootInTheRuntimeImage() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, args(otlp, pyroscope))) {
            assertLinked(launcher, otlp, pyroscope, "runtime image");
        }
    }

    private static String[] args(OtlpReceiver otlp, PyroscopeReceiver pyroscope) {
        return new String[] {"run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
            "--enable-traces", "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(),
            // One profile, uploaded at stop: the profiler stops sampling while it cuts one (up to
            // a second on a loaded machine), which would leave the requests of that moment unsampled.
            "--profiling-upload-interval", "10m", "--http-port", "0", "--http-address", "127.0.0.1",
            // Three times the original's work: 0.1 to 0.6 s a request, so that even a short one
            // gets CPU enough to be sampled at least once on a loaded machine (the work runs for a
            // time, not for an amount of CPU; sharing 2 cores with 8 builds, it got some 3 samples).
            "--work-scale", "3", "--query-interval", "700ms"};
    }

    private static void assertLinked(LauncherProcess launcher, OtlpReceiver otlp, PyroscopeReceiver pyroscope,
            String how) throws Exception {
        URI base = launcher.awaitHttpBase(PATIENCE);
        HelloClient client = new HelloClient(base);
        // The server answers while the profiler still starts, and those requests are not profiled:
        // the link is judged from readiness on, when every service, the profiler too, is up.
        new Readiness(base).await(PATIENCE);
        long readyAtNanos = System.currentTimeMillis() * 1_000_000L;
        List<String> outside = new ArrayList<>();
        List<HelloClient.Answer> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            HelloClient.Answer answer = client.get();
            answers.add(answer);
            outside.add(answer.traceId());
        }
        otlp.awaitSpans(spans -> spans.stream().filter(s -> s.getName().equals("caller/query_hello_world"))
                .filter(s -> s.getStartTimeUnixNano() >= readyAtNanos).count() >= QUERIER_CALLS, PATIENCE);
        launcher.terminate();
        assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());

        List<Span> spans = otlp.spans();
        Map<String, Span> localRoots = spans.stream()
                .filter(s -> attribute(s, "pyroscope.profile.id").equals(Optional.of(OtlpReceiver.hex(s.getSpanId()))))
                .collect(Collectors.toMap(s -> OtlpReceiver.hex(s.getSpanId()), s -> s));
        Map<String, String> serverSpans = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .collect(Collectors.toMap(s -> OtlpReceiver.hex(s.getTraceId()), s -> OtlpReceiver.hex(s.getSpanId())));
        // The querier's calls from readiness on (its first may come while the profiler starts).
        Set<String> querierTraces = spans.stream().filter(s -> s.getName().equals("caller/query_hello_world"))
                .filter(s -> s.getStartTimeUnixNano() >= readyAtNanos)
                .map(s -> OtlpReceiver.hex(s.getTraceId())).collect(Collectors.toSet());
        List<String> unlinkedServerSpans = Stream.concat(outside.stream(), querierTraces.stream())
                .map(serverSpans::get).filter(id -> !localRoots.containsKey(id)).toList();
        assertEquals(List.of(), unlinkedServerSpans, how + ": server spans from readiness on that are not exported as a "
                + "local root with its pyroscope.profile.id");

        List<Labelled> samples = pyroscope.uploads().stream().flatMap(u -> {
            Map<Long, String> strings = u.labelStrings();
            return u.samples().stream().filter(s -> s.eventType().equals("jdk.ExecutionSample"))
                    .map(s -> new Labelled(s, strings));
        }).toList();
        List<Labelled> work = matching(samples, s -> s.frames().contains(IN_WORK));
        List<Labelled> linked = matching(work, s -> s.spanId() != 0);
        Map<String, Long> carried = samples.stream().filter(l -> l.sample().spanId() != 0)
                .collect(Collectors.groupingBy(l -> l.sample().spanIdHex(), TreeMap::new, Collectors.counting()));
        long outsideLinked = outside.stream().filter(t -> carried.containsKey(serverSpans.get(t))).count();
        long querierLinked = querierTraces.stream().filter(t -> carried.containsKey(serverSpans.get(t))).count();
        Map<String, Long> names = linked.stream().collect(Collectors.groupingBy(
                l -> String.valueOf(l.strings().get(l.sample().spanName())), Collectors.counting()));
        String figures = String.format("%s: %d of %d samples in CpuWork.doSomething linked; outside requests linked %d of %d,"
                + " querier calls %d of %d; %d uploads; names of linked work samples %s", how, linked.size(), work.size(),
                outsideLinked, outside.size(), querierLinked, querierTraces.size(), pyroscope.uploads().size(), names);
        figures += "; unlinked outside requests (index, ms): " + answers.stream()
                .filter(a -> !carried.containsKey(serverSpans.get(a.traceId())))
                .map(a -> answers.indexOf(a) + ":" + a.took().toMillis()).toList();
        System.out.println("SpanProfilesIT " + figures);

        assertTrue(work.size() >= 50, "enough CPU samples of the requests' work to judge by; " + figures);
        assertTrue(linked.size() >= 0.95 * work.size(), "at least 95 % of the work's samples carry a span id; " + figures);
        List<String> strangers = carried.keySet().stream().filter(id -> !localRoots.containsKey(id)).toList();
        assertEquals(List.of(), strangers, "span ids carried by samples that are no exported local root; " + figures);
        assertTrue(outsideLinked >= 0.9 * outside.size(), "at least 90 % of the outside requests linked; " + figures);
        assertTrue(querierTraces.size() >= QUERIER_CALLS, "querier calls exported; " + figures);
        assertTrue(querierLinked >= 0.9 * querierTraces.size(), "at least 90 % of the querier's calls linked; " + figures);
        assertEquals(Set.of(ROOT), names.keySet(), "the root's final name on every linked sample of the work; " + figures);
        assertTrue(pyroscope.uploads().stream().allMatch(u -> u.labelStrings().containsValue(ROOT)
                || u.samples().stream().noneMatch(s -> s.spanId() != 0)), "every upload with linked samples names " + ROOT);
    }

    /** A CPU sample with the string table of the upload it came in. */
    private record Labelled(Sample sample, Map<Long, String> strings) {}

    private static List<Labelled> matching(List<Labelled> samples, Predicate<Sample> condition) {
        return samples.stream().filter(l -> condition.test(l.sample())).toList();
    }

    private static Optional<String> attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key))
                .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst();
    }
}
