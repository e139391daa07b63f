package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scenarios after the first four, as an APM sees them from the distribution, in one service
 * process: each is started on the management port for a window of its own, one after the other,
 * under a steady load of four concurrent callers, and the signal it names is measured over its
 * recorded window against the rest of the run.
 */
class ScenarioKindsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String SERVER_SPAN = "GET /helloworld";
    private static final int CALLERS = 4;
    /** Each caller's pace: at most 200 requests a second in all, which a loaded 2-core machine serves. */
    private static final Duration PACE = Duration.ofMillis(20);
    /** Requests answered between two windows, so that each window has an outside on both sides. */
    private static final int GAP = 150;

    @Test
    void eachScenarioChangesItsSignalInsideItsRecordedWindowOnly() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        Map.of("OTEL_BSP_SCHEDULE_DELAY", "200", "OTEL_BLRP_SCHEDULE_DELAY", "200",
                                "OTEL_METRIC_EXPORT_INTERVAL", "500"),
                        "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--enable-traces", "--enable-logs", "--enable-metrics",
                        "--http-address", "127.0.0.1", "--http-port", "0", "--management-port", "0",
                        "--work-scale", "0", "--trace-rate-limit", "0", "--error-rate", "0",
                        // No calls of the querier's own: every request is this test's.
                        "--query-interval", "1h",
                        "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(),
                        // One profile, uploaded at stop (see SpanProfilesIT).
                        "--profiling-upload-interval", "10m")) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            URI management = launcher.awaitManagementBase(PATIENCE);
            HttpClient client = HttpClient.newHttpClient();
            long began = System.nanoTime();
            Load load = new Load(client, base);
            load.awaitMore(GAP);
            // Windows measured in requests where the signal is per request, so that a loaded machine,
            // which serves fewer a second, still puts enough inside them; in seconds where it is a rate.
            windowOf(client, management, "downstream", "mode=unreachable&share=0.5", load, 250);
            windowOf(client, management, "downstream", "mode=slow&share=0.5&timeout=200ms", load, 250);
            window(client, management, "gc-pressure", "rate=256&live=0.1&for=4s", load);
            windowOf(client, management, "lock-contention", "hold=20ms&share=1", load, 150);
            window(client, management, "log-flood", "rate=200&for=3s", load);
            window(client, management, "cardinality-burst", "values=2500&for=3s", load);
            int total = load.stop();

            List<Span> all = otlp.awaitSpans(spans -> spans.stream().filter(s -> s.getName().equals(SERVER_SPAN))
                    .count() == total, PATIENCE);
            List<Span> servers = all.stream().filter(s -> s.getName().equals(SERVER_SPAN)).toList();
            Map<String, Span> clientByParent = all.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                    .collect(Collectors.toMap(s -> OtlpReceiver.hex(s.getParentSpanId()), s -> s, (a, b) -> a));

            RecordedWindow unreachable = RecordedWindow.await(otlp, PATIENCE, "", "downstream", "mode=unreachable");
            RecordedWindow slow = RecordedWindow.await(otlp, PATIENCE, "", "downstream", "mode=slow");
            downstreamFails(servers, clientByParent, unreachable, "502", "java.net.ConnectException");
            downstreamFails(servers, clientByParent, slow, "504", "java.net.SocketTimeoutException");
            List<Span> outsideDownstream = servers.stream().filter(s -> unreachable.excludes(s) && slow.excludes(s)).toList();
            assertEquals(0, outsideDownstream.stream().filter(s -> clientByParent.containsKey(OtlpReceiver.hex(s.getSpanId())))
                    .count(), "client spans under the " + outsideDownstream.size() + " requests outside the downstream windows");
            // Every client span, not one per parent: a call OkHttp made twice under one request is two.
            clientDurationsCounted(otlp, all.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList());

            gcWorksHarder(otlp, RecordedWindow.await(otlp, PATIENCE, "", "gc-pressure"));
            int queued = requestsQueueOnTheMonitor(servers, RecordedWindow.await(otlp, PATIENCE, "", "lock-contention"));
            logRecordsAtTheRate(otlp, RecordedWindow.await(otlp, PATIENCE, "", "log-flood"));
            seriesUpToTheLimit(otlp, servers, RecordedWindow.await(otlp, PATIENCE, "", "cardinality-burst"));

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            lockEventsOnTheMonitor(pyroscope, queued);
            System.out.printf("[ScenarioKindsIT] %d requests, %.1f s from the first to the stop%n", total,
                    (System.nanoTime() - began) / 1e9);
        }
    }

    /** Inside: about half the requests call the dependency, fail with it, and answer {@code status}. */
    private static void downstreamFails(List<Span> servers, Map<String, Span> clientByParent, RecordedWindow window, String status,
            String errorType) {
        List<Span> inside = servers.stream().filter(window::contains).toList();
        List<Span> clients = inside.stream().map(s -> clientByParent.get(OtlpReceiver.hex(s.getSpanId())))
                .filter(c -> c != null).toList();
        long failedRequests = inside.stream().filter(s -> attribute(s, "http.response.status_code").equals(status)).count();
        double share = (double) clients.size() / inside.size();
        System.out.printf("[ScenarioKindsIT] downstream %s: %d requests inside, %d client spans (%.3f), %d answered %s%n",
                errorType, inside.size(), clients.size(), share, failedRequests, status);
        // share=0.5 over about 250 requests (those wholly inside): a standard error of 0.032; 0.12 is
        // nearly four of them.
        assertTrue(inside.size() >= 200, "requests inside the window: " + inside.size());
        assertEquals(0.5, share, 0.12, "share of the " + inside.size() + " requests with a client span");
        // Each request with a client span: its call's error.type and its own status. A slow call in
        // flight when the incident is stopped fails otherwise (the dependency closes its connection:
        // an IOException and a 502); at most one per caller, and only at the end of the window.
        Map<String, Long> outcomes = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (Span server : inside) {
            Span call = clientByParent.get(OtlpReceiver.hex(server.getSpanId()));
            if (call != null) {
                String outcome = attribute(call, "error.type") + " " + attribute(server, "http.response.status_code");
                outcomes.merge(outcome, 1L, Long::sum);
                if (!outcome.equals(errorType + " " + status)) {
                    others.add(outcome + " ending " + (window.end() - server.getEndTimeUnixNano()) / 1_000_000 + " ms before the end");
                }
            }
        }
        System.out.printf("[ScenarioKindsIT]   outcomes %s; others %s%n", outcomes, others);
        assertTrue(others.size() <= CALLERS, "requests inside whose call did not fail with " + errorType + " and answer "
                + status + ": " + others);
        long failed = clients.stream().filter(c -> attribute(c, "error.type").equals(errorType)).count();
        assertEquals(clients.size(), clients.stream().filter(c -> c.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR)
                .filter(c -> attribute(c, "server.address").equals("127.0.0.1") && !attribute(c, "server.port").isEmpty())
                .count(), "client spans with status ERROR and the server's address and port");
        if (status.equals("504")) {
            assertEquals(failed, clients.stream().filter(c -> attribute(c, "error.type").equals(errorType))
                    .filter(c -> c.getEndTimeUnixNano() - c.getStartTimeUnixNano()
                    >= 200_000_000L).count(), "every timed-out call waited its timeout of 200 ms");
        }
    }

    /** http.client.request.duration counts every failed call, by error.type. */
    private static void clientDurationsCounted(OtlpReceiver otlp, java.util.Collection<Span> clients) {
        Map<String, Long> expected = clients.stream().collect(Collectors.groupingBy(c -> attribute(c, "error.type"),
                TreeMap::new, Collectors.counting()));
        try {
            otlp.awaitMetrics(metrics -> expected.equals(clientCounts(metrics)), PATIENCE);
        } catch (AssertionError e) {
            assertEquals(expected, clientCounts(otlp.metrics()), "http.client.request.duration counts by error.type "
                    + "against the client spans'");
            throw e;
        }
        System.out.println("[ScenarioKindsIT] http.client.request.duration counts by error.type: " + expected);
    }

    private static Map<String, Long> clientCounts(List<Metric> metrics) {
        // Cumulative: the largest count of each series (its whole attribute set: a call to the slow
        // dependency's port refused as its incident ends is a ConnectException of another
        // server.port) is its latest; then summed by error.type.
        Map<List<KeyValue>, Long> latest = metrics.stream().filter(m -> m.getName().equals("http.client.request.duration"))
                .flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .collect(Collectors.toMap(HistogramDataPoint::getAttributesList, HistogramDataPoint::getCount, Math::max));
        return latest.entrySet().stream().collect(Collectors.groupingBy(
                e -> OtlpReceiver.attribute(e.getKey(), "error.type").orElse(""), TreeMap::new,
                Collectors.summingLong(Map.Entry::getValue)));
    }

    /** jvm.gc.duration's count grows several times faster inside the window than before it. */
    private static void gcWorksHarder(OtlpReceiver otlp, RecordedWindow window) {
        otlp.awaitMetrics(metrics -> collections(metrics).lastKey() > window.end(), PATIENCE);
        TreeMap<Long, Long> counts = collections(otlp.metrics());
        double inside = rate(counts, window.start(), window.end());
        double before = rate(counts, counts.firstKey(), window.start());
        System.out.printf("[ScenarioKindsIT] gc-pressure: %.1f collections/s inside, %.1f before%n", inside, before);
        assertTrue(inside >= 3 * before && inside >= 2, "jvm.gc.duration count rate inside " + inside + "/s, before "
                + before + "/s");
    }

    /** Export time to the collections counted by then, all collectors and actions together. */
    private static TreeMap<Long, Long> collections(List<Metric> metrics) {
        return metrics.stream().filter(m -> m.getName().equals("jvm.gc.duration"))
                .flatMap(m -> m.getHistogram().getDataPointsList().stream())
                .collect(Collectors.groupingBy(HistogramDataPoint::getTimeUnixNano, TreeMap::new,
                        Collectors.summingLong(HistogramDataPoint::getCount)));
    }

    /** Per second, between the first export at or after {@code from} and the last at or before {@code to}. */
    private static double rate(TreeMap<Long, Long> counts, long from, long to) {
        long first = counts.ceilingKey(from);
        long last = counts.floorKey(to);
        return (counts.get(last) - counts.get(first)) / ((last - first) / 1e9);
    }

    /**
     * Requests inside wait for the monitor: their median is longer by at least the hold.
     *
     * @return the requests inside
     */
    private static int requestsQueueOnTheMonitor(List<Span> servers, RecordedWindow window) {
        List<Span> inside = servers.stream().filter(window::contains).toList();
        List<Span> outside = servers.stream().filter(window::excludes).toList();
        double shift = (RecordedWindow.medianDuration(inside) - RecordedWindow.medianDuration(outside)) / 1e6;
        System.out.printf("[ScenarioKindsIT] lock-contention hold=20ms: inside %d, median %.1f ms; outside %d, %.1f ms%n",
                inside.size(), RecordedWindow.medianDuration(inside) / 1e6, outside.size(), RecordedWindow.medianDuration(outside) / 1e6);
        assertTrue(inside.size() >= 120, "requests inside: " + inside.size());
        assertTrue(shift >= 20, "median server span inside minus outside, at least the 20 ms hold: " + shift + " ms");
        return inside.size();
    }

    /** The records of the flood: at its rate inside its window, none outside. */
    private static void logRecordsAtTheRate(OtlpReceiver otlp, RecordedWindow window) {
        List<LogRecord> flood = otlp.logRecords().stream().filter(r -> r.getBody().getStringValue()
                .startsWith("[scenario log-flood] record ")).toList();
        double seconds = (window.end() - window.start()) / 1e9;
        long outside = flood.stream().filter(r -> r.getTimeUnixNano() < window.start() || r.getTimeUnixNano() > window.end()).count();
        System.out.printf("[ScenarioKindsIT] log-flood rate=200: %d records in %.3f s (%.1f/s), %d outside%n", flood.size(),
                seconds, flood.size() / seconds, outside);
        // It writes at 10 ms ticks, catching up at each: short of the rate by a tick or two at most.
        assertEquals(200, flood.size() / seconds, 20, "records per second inside the window");
        assertEquals(0, outside, "records outside the window");
    }

    /** The SDK's limit of series, one of them the overflow, in each export inside; none after; values on spans. */
    private static void seriesUpToTheLimit(OtlpReceiver otlp, List<Span> servers, RecordedWindow window) {
        Map<Long, List<NumberDataPoint>> byExport = otlp.metrics().stream().filter(m -> m.getName().equals("scenario.cardinality"))
                .flatMap(m -> m.getGauge().getDataPointsList().stream())
                .collect(Collectors.groupingBy(NumberDataPoint::getTimeUnixNano, TreeMap::new, Collectors.toList()));
        assertTrue(byExport.size() >= 3, "exports of scenario.cardinality inside 3 s at 500 ms: " + byExport.size());
        assertTrue(byExport.keySet().stream().allMatch(t -> t > window.start() && t < window.end() + 600_000_000L),
                "scenario.cardinality only in exports inside the window (or the one just after its end): " + byExport.keySet());
        for (List<NumberDataPoint> export : byExport.values()) {
            Set<String> values = export.stream().map(p -> OtlpReceiver.attribute(p.getAttributesList(), "scenario.cardinality.value")
                    .orElse("overflow=" + OtlpReceiver.attribute(p.getAttributesList(), "otel.metric.overflow").orElse("")))
                    .collect(Collectors.toSet());
            assertEquals(2000, values.size(), "1999 values and the overflow series");
            assertTrue(values.contains("overflow=true"), "the overflow series");
        }
        List<Span> inside = servers.stream().filter(window::contains).toList();
        long tagged = inside.stream().filter(s -> !attribute(s, "scenario.cardinality.value").isEmpty()).count();
        long distinct = inside.stream().map(s -> attribute(s, "scenario.cardinality.value")).distinct().count();
        System.out.printf("[ScenarioKindsIT] cardinality-burst values=2500: %d exports of 2000 series; %d of %d requests "
                + "inside tagged, %d distinct values%n", byExport.size(), tagged, inside.size(), distinct);
        // The start is recorded before the effect is switched on (nothing is injected before its
        // recorded start), so a request whose span began in between, one per caller at most, has none.
        assertTrue(inside.size() - tagged <= CALLERS, "every request inside carries a value, but for one per caller "
                + "at the start: " + tagged + " of " + inside.size());
        assertEquals(0, servers.stream().filter(window::excludes).filter(s -> !attribute(s, "scenario.cardinality.value")
                .isEmpty()).count(), "no request outside does");
    }

    /**
     * The lock profile has a monitor-enter event in LockContention.hold for (nearly) each request
     * inside the window: with four callers and a 20 ms hold, nearly every one waits past the
     * profiler's 10 ms threshold. Not a share of all monitor-enter events: the JDK's and the
     * libraries' own monitors contend too (about 120 of 300 events in a run), at any time.
     */
    private static void lockEventsOnTheMonitor(PyroscopeReceiver pyroscope, int inside) {
        List<PyroscopeReceiver.Sample> samples = pyroscope.uploads().stream().flatMap(u -> u.samples().stream()).toList();
        List<PyroscopeReceiver.Sample> locks = samples.stream().filter(s -> s.eventType().equals("jdk.JavaMonitorEnter")).toList();
        List<PyroscopeReceiver.Sample> held = locks.stream()
                .filter(s -> s.frames().contains("dev.helloworld.scenarios.LockContention.hold")).toList();
        long inHold = held.size();
        assertEquals(Set.of("dev.helloworld.scenarios.LockContention$Monitor"),
                held.stream().map(PyroscopeReceiver.Sample::monitorClass).collect(Collectors.toSet()),
                "the monitor the waits in LockContention.hold were for");
        System.out.printf("[ScenarioKindsIT] lock profile: %d monitor-enter events, %d in LockContention.hold, for %d "
                + "requests inside; the others' innermost frames: %s%n", locks.size(), inHold, inside, locks.stream()
                .filter(s -> !s.frames().contains("dev.helloworld.scenarios.LockContention.hold"))
                .collect(Collectors.groupingBy(s -> s.frames().get(0), Collectors.counting())));
        // A few more than inside: requests that straddle the window's edges wait too.
        assertTrue(inHold >= 0.8 * inside && inHold <= inside + 2 * CALLERS * 4, inHold
                + " monitor-enter events in LockContention.hold for " + inside + " requests inside the window");
    }

    /** Starts {@code scenario} until {@code requests} more are answered, then stops it, and lets a gap of requests follow. */
    private static void windowOf(HttpClient client, URI management, String scenario, String query, Load load, int requests) {
        HttpResponse<String> started = call(client, "POST", management.resolve("/scenarios/" + scenario + "?" + query));
        assertEquals(200, started.statusCode(), started.body());
        load.awaitMore(requests);
        assertEquals(200, call(client, "DELETE", management.resolve("/scenarios/" + scenario)).statusCode());
        load.awaitMore(GAP);
    }

    /** Starts {@code scenario} on the management port and returns once its window ended and a gap of requests followed. */
    private static void window(HttpClient client, URI management, String scenario, String query, Load load) throws Exception {
        HttpResponse<String> started = call(client, "POST", management.resolve("/scenarios/" + scenario + "?" + query));
        assertEquals(200, started.statusCode(), started.body());
        await(() -> call(client, "GET", management.resolve("/scenarios/" + scenario)).body().contains("\"state\":\"off\""),
                scenario + " to end");
        load.awaitMore(GAP);
    }

    private static HttpResponse<String> call(HttpClient client, String method, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + uri + " failed", e);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "expected " + what + " within " + PATIENCE.toSeconds() + " s");
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private static String attribute(Span span, String key) {
        return OtlpReceiver.attribute(span.getAttributesList(), key).orElse("");
    }

    /** {@link #CALLERS} callers sending GET /helloworld one after the other, each at most one every {@link #PACE}. */
    private static final class Load {
        private final AtomicInteger answered = new AtomicInteger();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final List<Thread> callers = new ArrayList<>();

        Load(HttpClient client, URI base) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/helloworld")).timeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < CALLERS; i++) {
                Thread caller = new Thread(() -> {
                    long next = System.nanoTime();
                    while (!stopping.get()) {
                        LockSupport.parkNanos(next - System.nanoTime());
                        next = Math.max(next, System.nanoTime()) + PACE.toNanos();
                        try {
                            client.send(request, HttpResponse.BodyHandlers.discarding());
                            answered.incrementAndGet();
                        } catch (Exception e) {
                            throw new AssertionError("a request failed", e);
                        }
                    }
                }, "caller-" + i);
                caller.start();
                callers.add(caller);
            }
        }

        void awaitMore(int requests) {
            int target = answered.get() + requests;
            await(() -> answered.get() >= target, requests + " more requests answered");
        }

        /** @return every request answered */
        int stop() throws InterruptedException {
            stopping.set(true);
            for (Thread caller : callers) {
                caller.join(PATIENCE.toMillis());
            }
            return answered.get();
        }
    }
}
