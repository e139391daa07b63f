package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios as an APM sees them from the distribution: the signal each names changes inside the
 * window recorded for it and not outside, the recorded start and end are the window, and the
 * management port switches them (the data port does not).
 */
class ScenariosIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SERVER_SPAN = "GET /helloworld";
    /** The service's own random errors, --error-rate's default. */
    private static final double SEED_ERROR_RATE = 0.1;
    private static final String HOT_METHOD = "dev.helloworld.scenarios.HotSpot.burn";
    private static final Duration PACE = Duration.ofMillis(4);
    private static long nextSend = System.nanoTime();

    /**
     * error-burst at 0.5 for a 10 s window, with requests sent one after the other before, during
     * and after it (one every 4 ms at most). 10 s, not 4: on a machine running two test suites at
     * once 4 s held only 186 requests, too few to hold the share to 5 points. Inside, a
     * request fails when the burst fails it or, failing that, the service's own 10 % do:
     * 1 - 0.5 * 0.9 = 55 %.
     */
    @Test
    void anErrorBurstRaisesTheErrorShareInsideItsRecordedWindowOnly() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), telemetry(),
                        run(otlp, "--scenario", "error-burst:rate=0.5,after=4s,for=10s"))) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            int sent = 0;
            // Until the window has ended (looked for every 50 requests: the output grows with each),
            // then a few hundred after it.
            while (!launcher.output().contains("scenario error-burst ended")) {
                for (int i = 0; i < 50; i++) {
                    sent += get(client, base);
                }
            }
            for (int i = 0; i < 500; i++) {
                sent += get(client, base);
            }
            int total = sent;
            List<Span> servers = otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals(SERVER_SPAN))
                    .count() == total, PATIENCE).stream().filter(s -> s.getName().equals(SERVER_SPAN)).toList();
            RecordedWindow window = RecordedWindow.await(otlp, PATIENCE, "its window ended", "error-burst");

            assertEquals(10.0, (window.end() - window.start()) / 1e9, 1.0,
                    "the recorded window lasts its for=10s, within a second");
            List<Span> inside = servers.stream().filter(window::contains).toList();
            List<Span> outside = servers.stream().filter(window::excludes).toList();
            assertTrue(inside.size() >= 300 && outside.size() >= 500,
                    "enough requests to measure: " + inside.size() + " inside, " + outside.size() + " outside");
            double expectedInside = 1 - (1 - 0.5) * (1 - SEED_ERROR_RATE);
            assertEquals(expectedInside, errorShare(inside), 0.05,
                    "error share of the " + inside.size() + " server spans inside the window");
            assertEquals(SEED_ERROR_RATE, errorShare(outside), 0.03,
                    "error share of the " + outside.size() + " server spans outside the window");

            // Every injected error is an ERROR record, logged after the recorded start, in the trace of
            // a request that arrived before the recorded end (one in flight then may log just after it).
            Map<String, Span> serverByTrace = servers.stream()
                    .collect(Collectors.toMap(s -> OtlpReceiver.hex(s.getTraceId()), Function.identity()));
            List<LogRecord> injected = otlp.logRecords().stream()
                    .filter(r -> body(r).startsWith("[scenario error-burst] got error")).toList();
            assertTrue(injected.size() >= inside.size() / 4, "injected errors logged: " + injected.size());
            assertEquals(injected.size(), injected.stream().filter(r -> r.getSeverityNumberValue() >= 17)
                    .filter(r -> r.getTimeUnixNano() >= window.start())
                    .map(r -> serverByTrace.get(OtlpReceiver.hex(r.getTraceId())))
                    .filter(s -> s != null && s.getStartTimeUnixNano() <= window.end())
                    .count(), "injected errors logged at ERROR after the recorded start in a request that arrived before "
                    + "the recorded end, of " + injected.size());
            System.out.printf("[ScenariosIT] error-burst rate=0.5: %d requests; inside %d, error share %.3f; outside %d, %.3f; "
                    + "window %.3f s%n", total, inside.size(), errorShare(inside), outside.size(), errorShare(outside),
                    (window.end() - window.start()) / 1e9);

            // The start and the end are spans of their own too, with the name and the parameters.
            for (String edge : List.of("scenario start", "scenario end")) {
                Span span = otlp.awaitSpan(edge, PATIENCE);
                assertEquals("error-burst", OtlpReceiver.attribute(span.getAttributesList(), "scenario.name").orElse(""));
                assertEquals("rate=0.5,route=*,after=4s,for=10s",
                        OtlpReceiver.attribute(span.getAttributesList(), "scenario.parameters").orElse(""), edge);
            }
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
        }
    }

    /**
     * The management port starts latency (100 ms) for 3 s, shows it running, changes it, and
     * stops another scenario; the data port has no /scenarios; bad input is a 400 with the
     * reason. Server spans inside the recorded window are slower by the delay at the median.
     */
    @Test
    void theManagementPortSwitchesScenariosAndLatencyShiftsTheMedianByTheDelay() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), telemetry(),
                        run(otlp, "--management-port", "0", "--error-rate", "0"))) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            URI management = launcher.awaitManagementBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();

            assertEquals(404, call(client, "GET", base.resolve("/scenarios")).statusCode(), "no /scenarios on the data port");
            assertEquals(404, call(client, "POST", base.resolve("/scenarios/latency")).statusCode(),
                    "no switching on the data port");
            HttpResponse<String> unknown = call(client, "POST", management.resolve("/scenarios/nope"));
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertEquals("{\"error\":\"expected a scenario, one of error-burst, latency, cpu-hotspot, memory-growth, gc-pressure, lock-contention, downstream, log-flood, cardinality-burst ('nope' is none)\"}",
                    unknown.body());
            HttpResponse<String> bad = call(client, "POST", management.resolve("/scenarios/latency?delay=1h"));
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("latency delay to be a positive duration up to 10s"), bad.body());
            HttpResponse<String> stray = call(client, "POST", management.resolve("/scenarios/latency?speed=2"));
            assertEquals(400, stray.statusCode(), stray.body());
            assertTrue(stray.body().contains("parameters of latency: delay, share, distribution, target, after, for, every ('speed' is none)"),
                    stray.body());
            assertTrue(call(client, "GET", management.resolve("/scenarios")).body().contains(
                    "{\"name\":\"latency\",\"state\":\"off\"}"), "nothing runs before it is switched on");

            int sent = 0;
            for (int i = 0; i < 100; i++) {
                sent += get(client, base);
            }
            // Started, then changed: the second start replaces the first, and the window is the second's.
            assertEquals(200, call(client, "POST", management.resolve("/scenarios/latency?delay=300ms")).statusCode());
            HttpResponse<String> changed = call(client, "POST", management.resolve("/scenarios/latency?delay=100ms&for=3s"));
            assertEquals(200, changed.statusCode(), changed.body());
            assertTrue(changed.body().contains("\"state\":\"running\",\"parameters\":\"delay=100ms,share=1,distribution=fixed,after=none,for=3s\""),
                    changed.body());
            assertEquals(200, call(client, "POST", management.resolve("/scenarios/cpu-hotspot?burn=5ms")).statusCode());
            HttpResponse<String> stopped = call(client, "DELETE", management.resolve("/scenarios/cpu-hotspot"));
            assertEquals("{\"name\":\"cpu-hotspot\",\"state\":\"off\"}", stopped.body());

            while (call(client, "GET", management.resolve("/scenarios/latency")).body().contains("running")) {
                sent += get(client, base);
            }
            for (int i = 0; i < 100; i++) {
                sent += get(client, base);
            }
            int total = sent;
            List<Span> servers = otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals(SERVER_SPAN))
                    .count() == total, PATIENCE).stream().filter(s -> s.getName().equals(SERVER_SPAN)).toList();
            List<LogRecord> truth = otlp.awaitLogRecords(all -> all.stream()
                    .filter(r -> body(r).startsWith("scenario ")).count() == 6, PATIENCE).stream()
                    .filter(r -> body(r).startsWith("scenario ")).toList();
            assertEquals(List.of(
                    "scenario latency started (delay=300ms,share=1,distribution=fixed,after=none,for=none)",
                    "scenario latency ended: replaced by a new start (delay=300ms,share=1,distribution=fixed,after=none,for=none)",
                    "scenario latency started (delay=100ms,share=1,distribution=fixed,after=none,for=3s)",
                    "scenario cpu-hotspot started (burn=5ms,share=1,after=none,for=none)",
                    "scenario cpu-hotspot ended: stopped on the management port (burn=5ms,share=1,after=none,for=none)",
                    "scenario latency ended: its window ended (delay=100ms,share=1,distribution=fixed,after=none,for=3s)"),
                    truth.stream().sorted(Comparator.comparingLong(LogRecord::getTimeUnixNano)).map(ScenariosIT::body).toList(),
                    "the recorded starts and ends, in time order");

            RecordedWindow window = RecordedWindow.await(otlp, PATIENCE, "its window ended", "latency", "delay=100ms");
            assertEquals(3.0, (window.end() - window.start()) / 1e9, 1.0, "the recorded window lasts its for=3s");
            List<Span> inside = servers.stream().filter(window::contains).toList();
            List<Span> outside = servers.stream().filter(window::excludes).toList();
            assertTrue(inside.size() >= 10, "requests inside: " + inside.size());
            double shift = (RecordedWindow.medianDuration(inside) - RecordedWindow.medianDuration(outside)) / 1e6;
            System.out.printf("[ScenariosIT] latency delay=100ms: inside %d, median %.1f ms; outside %d, median %.1f ms%n",
                    inside.size(), RecordedWindow.medianDuration(inside) / 1e6, outside.size(), RecordedWindow.medianDuration(outside) / 1e6);
            assertEquals(100, shift, 25, "median server span duration inside (" + inside.size() + ") minus outside ("
                    + outside.size() + "), ms");
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
        }
    }

    /**
     * cpu-hotspot burning 200 ms in each of 20 requests, with the seed's own work off: the CPU
     * samples linked to the requests' server spans are (nearly) all in HotSpot.burn, and nearly
     * every sample of HotSpot.burn is linked to the server span of the request that burnt it.
     */
    @Test
    void aCpuHotspotShowsItsMethodUnderTheRequestsSpanInTheCpuProfile() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), telemetry(),
                        run(otlp, "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(),
                                // One profile, uploaded at stop (see SpanProfilesIT).
                                "--profiling-upload-interval", "10m",
                                "--scenario", "cpu-hotspot:burn=200ms"))) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            int requests = 20;
            for (int i = 0; i < requests; i++) {
                get(client, base);
            }
            List<Span> servers = otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals(SERVER_SPAN))
                    .count() == requests, PATIENCE).stream().filter(s -> s.getName().equals(SERVER_SPAN)).toList();
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());

            assertTrue(servers.stream().allMatch(s -> s.getEndTimeUnixNano() - s.getStartTimeUnixNano() >= 200_000_000L),
                    "every server span lasts the 200 ms burnt in it");
            Set<String> serverIds = servers.stream().map(s -> OtlpReceiver.hex(s.getSpanId())).collect(Collectors.toSet());
            List<PyroscopeReceiver.Sample> cpu = pyroscope.uploads().stream().flatMap(u -> u.samples().stream())
                    .filter(s -> s.eventType().equals("jdk.ExecutionSample")).toList();
            List<PyroscopeReceiver.Sample> linked = cpu.stream().filter(s -> serverIds.contains(s.spanIdHex())).toList();
            List<PyroscopeReceiver.Sample> hot = cpu.stream().filter(s -> s.frames().contains(HOT_METHOD)).toList();
            long hotAndLinked = hot.stream().filter(s -> serverIds.contains(s.spanIdHex())).count();
            long linkedInHot = linked.stream().filter(s -> s.frames().contains(HOT_METHOD)).count();
            String figures = String.format("%d CPU samples; %d in HotSpot.burn, %d of them under a server span; "
                    + "%d under server spans, %d of them in HotSpot.burn", cpu.size(), hot.size(), hotAndLinked,
                    linked.size(), linkedInHot);
            System.out.println("[ScenariosIT] cpu-hotspot burn=200ms: " + figures);
            assertTrue(hot.size() >= 50, "enough samples of the hot method to judge by; " + figures);
            assertTrue(hotAndLinked >= 0.95 * hot.size(), "the hot method's samples under the request's span; " + figures);
            assertTrue(linkedInHot >= 0.8 * linked.size(), "the requests' samples in the hot method; " + figures);
        }
    }

    /**
     * memory-growth to a quarter of the dist's 64 MiB heap (16 MiB) over 1 s, in a 4 s window: the
     * old generation (SerialGC's Tenured Gen, where the cache ends up) holds more inside the window
     * than before it by at least what the young generation cannot hold of the cache, and the heap
     * never passes its limit. Not the whole 16: the cache's newest entries may stay in the young
     * generation (Eden and a survivor space, 10.8 MiB with the dist's -Xmn12m) until a collection
     * that, with little else allocating, can come after the window (9.5, 11.6 and 14.7 of 16 MiB
     * tenured in runs of loaded machines). So the bound is what the service's own jvm.memory.limit
     * says of its young pools, not a number that holds on a quiet machine only.
     */
    @Test
    void memoryGrowthRaisesTheOldGenerationByItsBoundInsideItsWindow() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        Map.of("OTEL_METRIC_EXPORT_INTERVAL", "300", "OTEL_BLRP_SCHEDULE_DELAY", "200"),
                        run(otlp, "--enable-metrics", "--scenario", "memory-growth:heap=0.25,over=1s,after=3s,for=4s"))) {
            launcher.awaitHttpBase(PATIENCE);
            RecordedWindow window = RecordedWindow.await(otlp, PATIENCE, "its window ended", "memory-growth");
            // Two more exports after the end, so that the window is covered whole.
            long afterEnd = window.end() + 700_000_000L;
            otlp.awaitMetrics(all -> all.stream().filter(m -> m.getName().equals("jvm.memory.used"))
                    .flatMap(m -> m.getSum().getDataPointsList().stream()).anyMatch(p -> p.getTimeUnixNano() > afterEnd), PATIENCE);
            List<io.opentelemetry.proto.metrics.v1.NumberDataPoint> tenured = otlp.metrics().stream()
                    .filter(m -> m.getName().equals("jvm.memory.used"))
                    .flatMap(m -> m.getSum().getDataPointsList().stream())
                    .filter(p -> OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.pool.name").orElse("").equals("Tenured Gen"))
                    .toList();
            long before = tenured.stream().filter(p -> p.getTimeUnixNano() < window.start())
                    .mapToLong(io.opentelemetry.proto.metrics.v1.NumberDataPoint::getAsInt).max().orElseThrow();
            long inside = tenured.stream().filter(p -> p.getTimeUnixNano() > window.start() && p.getTimeUnixNano() < window.end())
                    .mapToLong(io.opentelemetry.proto.metrics.v1.NumberDataPoint::getAsInt).max().orElseThrow();
            long young = otlp.metrics().stream()
                    .filter(m -> m.getName().equals("jvm.memory.limit"))
                    .flatMap(m -> m.getSum().getDataPointsList().stream())
                    .filter(p -> OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.type").orElse("").equals("heap"))
                    .filter(p -> !OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.pool.name").orElse("").equals("Tenured Gen"))
                    .collect(java.util.stream.Collectors.toMap(
                            p -> OtlpReceiver.attribute(p.getAttributesList(), "jvm.memory.pool.name").orElseThrow(),
                            io.opentelemetry.proto.metrics.v1.NumberDataPoint::getAsInt, Math::max))
                    .values().stream().mapToLong(Long::longValue).sum();
            long cache = 16L * 1024 * 1024;
            System.out.printf("[ScenariosIT] memory-growth heap=0.25 (16 MiB): Tenured Gen at most %.1f MiB before, %.1f MiB inside;"
                    + " the young pools hold up to %.1f MiB%n", before / 1048576.0, inside / 1048576.0, young / 1048576.0);
            assertTrue(young > 0 && young < cache, "the young pools' limits are known: " + young);
            assertTrue(inside - before >= cache - young, "the old generation grew by the cache, less what the young pools ("
                    + young + " bytes) can hold: " + before + " -> " + inside);
            assertTrue(inside <= 64L * 1024 * 1024, "within the heap: " + inside);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
        }
    }

    @Test
    void anUnknownScenarioOrParameterAtStartIsOneLineWithWhatExistsAndExitTwo() throws Exception {
        for (List<String> bad : List.of(
                List.of("--scenario", "nope", "invalid value 'nope' for --scenario: expected a scenario, one of error-burst, latency, cpu-hotspot, memory-growth, gc-pressure, lock-contention, downstream, log-flood, cardinality-burst ('nope' is none)"),
                List.of("--scenario", "error-burst:rate=2", "invalid value 'error-burst:rate=2' for --scenario: expected error-burst rate to be a number from 0 to 1 ('2' is not)"))) {
            try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                    "run", "--exporter", "none", "--http-port", "0", bad.get(0), bad.get(1))) {
                assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
                assertEquals(List.of("launcher: " + bad.get(2)), launcher.stderr());
            }
        }
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--exporter", "none", "--http-port", "0", "--scenario", "latency", "--scenario", "latency:delay=1s")) {
            assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
            assertEquals(List.of("launcher: invalid value 'latency;latency:delay=1s' for --scenario: expected each scenario "
                    + "once ('latency' is given twice)"), launcher.stderr());
        }
    }

    /** --scenario is repeatable; SCENARIOS takes the same, separated by ';'. */
    @Test
    void scenariosAddUpFromRepeatedFlagsOrTheVariable() throws Exception {
        String both = "latency:delay=200ms,share=1,distribution=fixed,after=none,for=none;"
                + "error-burst:rate=0.2,route=*,after=none,for=none";
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "config", "--scenario", "latency", "--scenario", "error-burst:rate=0.2")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.matches("--scenario +SCENARIOS +" + java.util.regex.Pattern.quote(both)
                    + " +flag --scenario")), launcher.output());
        }
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                Map.of("SCENARIOS", "latency;error-burst:rate=0.2"), "config")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.matches("--scenario +SCENARIOS +" + java.util.regex.Pattern.quote(both)
                    + " +env SCENARIOS")), launcher.output());
        }
    }

    /** {@code launcher scenarios} lists every scenario with its parameters and signals; without the plugin's jar, none. */
    @Test
    void launcherScenariosListsEachScenarioWithItsParametersAndSignals(@TempDir Path dir) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "scenarios")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            List<String> out = launcher.stdout();
            assertEquals(List.of("error-burst", "latency", "cpu-hotspot", "memory-growth", "gc-pressure", "lock-contention",
                    "downstream", "log-flood", "cardinality-burst"), out.stream().filter(l -> l.matches("[a-z-]+: .*"))
                    .map(l -> l.substring(0, l.indexOf(':'))).toList(), "the scenarios:\n" + launcher.output());
            assertTrue(out.stream().anyMatch(l -> l.matches(" +rate +<share> +0\\.5 +Share of requests that fail.*")),
                    launcher.output());
            assertTrue(out.stream().anyMatch(l -> l.matches(" +delay +<duration> +200ms +.*")), launcher.output());
            assertEquals(9, out.stream().filter(l -> l.startsWith("  shows in: ")).count(), launcher.output());
        }
        Path home = LauncherProcess.copyDist(dir, false);
        try (var jars = Files.list(home.resolve("lib"))) {
            Files.delete(jars.filter(p -> p.getFileName().toString().startsWith("plugin-scenarios-")).findFirst().orElseThrow());
        }
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(), "scenarios")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            assertEquals(List.of("(no scenarios: the plugin-scenarios jar is not among the plugins)"), launcher.stdout());
        }
    }

    private static Map<String, String> telemetry() {
        return Map.of("OTEL_BSP_SCHEDULE_DELAY", "200", "OTEL_BLRP_SCHEDULE_DELAY", "200");
    }

    private static String[] run(OtlpReceiver otlp, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                "--enable-traces", "--enable-logs", "--http-address", "127.0.0.1", "--http-port", "0",
                "--work-scale", "0", "--trace-rate-limit", "0",
                // No calls of the querier's own: every request is this test's.
                "--query-interval", "1h"));
        args.addAll(List.of(more));
        if (!args.contains("--enable-metrics")) {
            args.add("--no-enable-metrics");
        }
        return args.toArray(String[]::new);
    }

    /**
     * Sends one request, at most one every {@link #PACE} (a machine shared with other builds need
     * not serve thousands a second for the shares to be measured); 1 once it is answered, for counting.
     */
    private static int get(HttpClient client, URI base) throws Exception {
        long wait = nextSend - System.nanoTime();
        if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        nextSend = Math.max(nextSend, System.nanoTime()) + PACE.toNanos();
        client.send(HttpRequest.newBuilder(base.resolve("/helloworld")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        return 1;
    }

    private static HttpResponse<String> call(HttpClient client, String method, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double errorShare(List<Span> spans) {
        return (double) spans.stream().filter(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).count()
                / spans.size();
    }

    private static String body(LogRecord record) {
        return record.getBody().getStringValue();
    }
}
