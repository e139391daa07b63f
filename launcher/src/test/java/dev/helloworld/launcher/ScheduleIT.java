package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.json.Json;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --scenario-schedule}: a timetable of incidents from a file runs exactly as planned, and
 * its truth is recorded (the start and end log records, the {@code scenario.active} gauge); the
 * same run proves that {@code requests_total} counts every request by its status.
 */
class ScheduleIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** A second, as issue 32 asks: the record is within it of the plan. */
    private static final long SECOND = 1_000_000_000L;
    /**
     * The gauge flips just after the edge's log record is written (the record comes first), in
     * microseconds, or 150 ms for the very first record of a process on a loaded machine; the other
     * way round by at most this much, as a collection can fall between the two.
     */
    private static final long FLIP_SLACK = 50_000_000L;
    private static final Pattern EDGE = Pattern.compile("scenario ([a-z-]+) (started|ended: (.*)) \\(.*\\)");

    /** Three overlapping incidents: the burst and the latency repeat; all three run at once from 7 to 8 s. */
    private static final String PLAN = """
            # three overlapping incidents, two of them repeating
            error-burst rate=0.5 after=2s for=6s every=30s
            latency delay=20ms share=0.5 after=5s for=4s every=12s   # 5-9, 17-21, 29-33, 41-45 s
            cpu-hotspot burn=5ms share=0.2 after=7s for=40s
            """;
    /** The planned runs in seconds after the schedule was switched on, up to the stop. */
    private static final Map<String, List<long[]>> PLANNED = Map.of(
            "error-burst", List.of(new long[] {2, 8}, new long[] {32, 38}),
            "latency", List.of(new long[] {5, 9}, new long[] {17, 21}, new long[] {29, 33}, new long[] {41, 45}),
            "cpu-hotspot", List.of(new long[] {7, 47}));
    /**
     * When the test stops the service, in seconds after the switch-on: nothing runs from 47 s to
     * the next starts at 52 and 53 s, which leaves 3 s for a slow stop on a loaded machine.
     */
    private static final long STOP_AT = 49;

    /**
     * About 50 s of one process: every planned start and end is recorded, within a second, and
     * nothing else; the gauge flips at each; and requests_total by status is what the client saw.
     */
    @Test
    void aScheduleOfThreeOverlappingIncidentsRecordsExactlyItsTimetable(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.txt"), PLAN);
        Instant spawned = Instant.now();
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        Map.of("OTEL_METRIC_EXPORT_INTERVAL", "500", "OTEL_BLRP_SCHEDULE_DELAY", "200"),
                        "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--no-enable-traces", "--enable-logs", "--enable-metrics", "--http-address", "127.0.0.1",
                        "--http-port", "0", "--management-port", "0", "--work-scale", "0", "--error-rate", "0",
                        "--query-interval", "1h", "--scenario-schedule", plan.toString())) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            URI management = launcher.awaitManagementBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            Instant switchedOn = switchedOn(scenarios(client, management), spawned, Instant.now());

            // Requests throughout, one every 10 ms at most, until the planned stop.
            Map<Long, Long> seen = new TreeMap<>();
            long stop = nanos(switchedOn) + STOP_AT * SECOND;
            long next = System.nanoTime();
            while (nanos(Instant.now()) < stop) {
                LockSupport.parkNanos(next - System.nanoTime());
                next = Math.max(next, System.nanoTime()) + 10_000_000L;
                seen.merge((long) client.send(HttpRequest.newBuilder(base.resolve("/helloworld"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                        1L, Long::sum);
            }
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());

            Map<String, List<Edge>> recorded = recordedEdges(otlp.logRecords());
            for (Map.Entry<String, List<long[]>> scenario : PLANNED.entrySet()) {
                String name = scenario.getKey();
                List<Edge> edges = recorded.getOrDefault(name, List.of());
                List<Edge> expected = new ArrayList<>();
                for (long[] run : scenario.getValue()) {
                    expected.add(new Edge(true, nanos(switchedOn) + run[0] * SECOND, ""));
                    expected.add(new Edge(false, nanos(switchedOn) + run[1] * SECOND, "its window ended"));
                }
                assertEquals(expected.stream().map(Edge::kind).toList(), edges.stream().map(Edge::kind).toList(),
                        name + ": every planned start and end, none extra; recorded " + edges);
                for (int i = 0; i < edges.size(); i++) {
                    long off = edges.get(i).time() - expected.get(i).time();
                    System.out.printf("[ScheduleIT] %s %s: %+.3f s from the plan%n", name, edges.get(i).kind(), off / 1e9);
                    assertTrue(Math.abs(off) < SECOND, name + " edge " + i + " within a second of the plan: " + off / 1e6 + " ms");
                    assertEquals(expected.get(i).why(), edges.get(i).why(), name + " edge " + i);
                }
                assertGaugeFlipsAt(name, expected, edges, otlp.metrics());
            }

            Map<Long, Long> counted = requestsTotalByStatus(otlp.metrics());
            long sent = seen.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("[ScheduleIT] %d requests; the client saw %s, requests_total by status %s%n", sent, seen, counted);
            assertEquals(seen, counted, "requests_total by status against the answers the client saw");
            assertTrue(seen.getOrDefault(500L, 0L) > 50, "the bursts failed requests: " + seen);
        }
    }

    /** A bad line names the file's flag or variable, the line and what is allowed; exit 2, nothing served. */
    @Test
    void aBadScheduleIsOneLineNamingTheLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("plan.txt"), "# fine\nlatency delay=100ms\nerror-burst rate=2 for=5s\n");
        Path both = Files.writeString(dir.resolve("both.txt"), "latency for=5s every=10s\n");
        Path absent = dir.resolve("absent");
        String ofLine3 = "expected on line 3 error-burst rate to be a number from 0 to 1 ('2' is not)";
        List<BadRun> runs = List.of(
                new BadRun(Map.of(), List.of("--scenario-schedule", bad.toString()),
                        "invalid value '" + bad + "' for --scenario-schedule: " + ofLine3),
                new BadRun(Map.of("SCENARIO_SCHEDULE", bad.toString()), List.of(),
                        "invalid value '" + bad + "' for SCENARIO_SCHEDULE: " + ofLine3),
                new BadRun(Map.of(), List.of("--scenario-schedule", absent.toString()),
                        "invalid value '" + absent + "' for --scenario-schedule: expected the path of a readable schedule file"),
                // Each fine alone: found as the scenarios plugin starts, still one line and exit 2.
                new BadRun(Map.of(), List.of("--scenario-schedule", both.toString(), "--scenario", "latency"),
                        "invalid value '" + both + "' for --scenario-schedule: expected no scenario that --scenario "
                                + "gives too ('latency' is in both)"));
        for (BadRun run : runs) {
            List<String> args = new ArrayList<>(List.of("run", "--exporter", "none", "--http-port", "0"));
            args.addAll(run.args());
            try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), run.env(), args.toArray(String[]::new))) {
                assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
                assertEquals(List.of("launcher: " + run.expected()), launcher.stderr());
                assertFalse(launcher.output().contains("[http] listening"), "nothing served\n" + launcher.output());
            }
        }
    }

    private record BadRun(Map<String, String> env, List<String> args, String expected) {}

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> scenarios(HttpClient client, URI management) throws Exception {
        String body = client.send(HttpRequest.newBuilder(management.resolve("/scenarios")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(body)).get("scenarios"))
                .forEach(s -> byName.put((String) s.get("name"), s));
        return byName;
    }

    /**
     * When the schedule was switched on, from the service's own plan: the burst's next start is
     * planned 2 s after it, plus a whole number of its 30 s periods, which one depends on how long
     * the service took to answer (more than 8 s on a machine with a load of 22). The one between
     * the process's spawning and the answer. The repeating ones show a next start; the one-off not.
     */
    private static Instant switchedOn(Map<String, Map<String, Object>> scenarios, Instant spawned, Instant answered) {
        Map<String, Object> burst = scenarios.get("error-burst");
        assertTrue(burst.containsKey("nextStartsAt") && scenarios.get("latency").containsKey("nextStartsAt"),
                "the repeating ones show their next start: " + scenarios);
        assertFalse(scenarios.get("cpu-hotspot").containsKey("nextStartsAt"), "a one-off has none: " + scenarios);
        Instant candidate = Instant.parse((String) burst.get("nextStartsAt")).minusSeconds(2);
        while (candidate.isAfter(answered)) {
            candidate = candidate.minusSeconds(30);
        }
        assertTrue(!candidate.isBefore(spawned), "switched on between the spawn at " + spawned + " and the answer at "
                + answered + ": " + scenarios);
        return candidate;
    }

    /** Each scenario's recorded starts and ends, in time order. */
    private static Map<String, List<Edge>> recordedEdges(List<LogRecord> records) {
        Map<String, List<Edge>> edges = new TreeMap<>();
        records.stream().sorted(Comparator.comparingLong(LogRecord::getTimeUnixNano)).forEach(r -> {
            Matcher m = EDGE.matcher(r.getBody().getStringValue());
            if (m.matches()) {
                edges.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Edge(m.group(2).equals("started"),
                        r.getTimeUnixNano(), m.group(3) == null ? "" : m.group(3)));
            }
        });
        return edges;
    }

    /**
     * The gauge's points of one scenario flip once per recorded edge, in order, never before the
     * record, and within a second of the plan: the points either side of each flip (500 ms apart)
     * both lie within a second of the planned edge.
     */
    private static void assertGaugeFlipsAt(String scenario, List<Edge> planned, List<Edge> edges, List<Metric> metrics) {
        List<NumberDataPoint> points = metrics.stream().filter(m -> m.getName().equals("scenario.active"))
                .flatMap(m -> m.getGauge().getDataPointsList().stream())
                .filter(p -> OtlpReceiver.attribute(p.getAttributesList(), "scenario").orElse("").equals(scenario))
                .sorted(Comparator.comparingLong(NumberDataPoint::getTimeUnixNano)).toList();
        List<long[]> flips = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).getAsInt() != points.get(i - 1).getAsInt()) {
                flips.add(new long[] {points.get(i - 1).getTimeUnixNano(), points.get(i).getTimeUnixNano(), points.get(i).getAsInt()});
            }
        }
        assertEquals(edges.size(), flips.size(), scenario + ": a flip of scenario.active per recorded edge");
        for (int i = 0; i < flips.size(); i++) {
            long plan = planned.get(i).time();
            long[] flip = flips.get(i);
            assertEquals(edges.get(i).start() ? 1 : 0, flip[2], scenario + " flip " + i);
            assertTrue(flip[1] >= edges.get(i).time() - FLIP_SLACK, scenario + " flip " + i + " not before its record: "
                    + (flip[1] - edges.get(i).time()) / 1e6 + " ms");
            assertTrue(flip[0] > plan - SECOND && flip[1] < plan + SECOND, scenario + " flip " + i
                    + " within a second of the plan: between " + (flip[0] - plan) / 1e6 + " ms and " + (flip[1] - plan) / 1e6
                    + " ms from it");
        }
    }

    /** The last (cumulative) value of each requests_total point, summed by status. */
    private static Map<Long, Long> requestsTotalByStatus(List<Metric> metrics) {
        Map<String, NumberDataPoint> last = new TreeMap<>();
        metrics.stream().filter(m -> m.getName().equals("requests_total"))
                .flatMap(m -> m.getSum().getDataPointsList().stream())
                .forEach(p -> last.merge(p.getAttributesList().toString(), p,
                        (a, b) -> a.getTimeUnixNano() >= b.getTimeUnixNano() ? a : b));
        return last.values().stream().collect(Collectors.groupingBy(p -> Long.parseLong(OtlpReceiver
                .attribute(p.getAttributesList(), "http.response.status_code").orElse("-1")), TreeMap::new,
                Collectors.summingLong(NumberDataPoint::getAsInt)));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * SECOND + instant.getNano();
    }

    /** One recorded (or planned) start or end, in Unix nanoseconds. */
    private record Edge(boolean start, long time, String why) {
        String kind() {
            return start ? "start" : "end";
        }
    }
}
