package dev.helloworld.launcher;

import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 33 through the real process, one run of {@code --topology} with profiling and three
 * incidents, each aimed at one node of the topology: an error burst at the orders database, then
 * latency at payments, each in a recorded window, then a CPU hot spot moved through the services. Judged
 * from the exported spans and the uploaded profiles as shares over the whole run: each incident
 * lands on its target inside its recorded window only and reaches the callers as the chain
 * carries it; each logical service's profile samples carry its label and the span ids of its own spans.
 */
class TopologyTargetsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String BASE = "helloworld";
    private static final List<String> SERVICES = List.of("frontend", "orders", "inventory", "payments", "notifications");
    private static final long DELAY_MS = 300;
    private static final double RATE = 0.5;
    private static final String DATABASE = "postgresql/orders";
    private static final long NANOS_PER_MS = 1_000_000;
    /** Requests (or messages) per service with the hot spot aimed at it: some 50 CPU samples each at 20 ms a burn. */
    private static final int BURNS = 25;

    /** A span with the service.name of the resource it was exported under. */
    private record Exported(Span span, String service) {

        String id() {
            return hex(span.getSpanId());
        }

        boolean failed() {
            return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        }

        String attribute(String key) {
            return OtlpReceiver.attribute(span.getAttributesList(), key).orElse(null);
        }

        long millis() {
            return (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / NANOS_PER_MS;
        }
    }

    /**
     * A scenario's window as the process recorded it, in its start and end spans; spans after
     * {@code until} are neither inside nor outside it.
     */
    private record Window(long start, long end, long until) {

        Window before(long time) {
            return new Window(start, end, time);
        }

        boolean inside(Exported s) {
            return s.span().getStartTimeUnixNano() >= start && s.span().getEndTimeUnixNano() <= end;
        }

        boolean outside(Exported s) {
            return s.span().getEndTimeUnixNano() < start
                    || s.span().getStartTimeUnixNano() > end && s.span().getEndTimeUnixNano() < until;
        }
    }

    @Test
    void incidentsLandOnTheirTargetsAndEachServicesProfileCarriesItsOwnSpans() throws Exception {
        List<Exported> spans;
        List<PyroscopeReceiver.Upload> uploads;
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--topology", "--topology-rate", "50",
                        "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(), "--enable-traces",
                        "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(),
                        // One profile, cut at stop: cutting one pauses sampling (see SpanProfilesIT).
                        "--profiling-upload-interval", "10m", "--http-port", "0", "--http-address", "127.0.0.1",
                        "--management-port", "0",
                        // One after the other: a slow payments service slows the traffic down, and the
                        // error burst's share wants as many calls as the shop makes when it is not slow;
                        // not at once either: the first seconds' requests, in a cold JVM, are slow.
                        "--scenario", "error-burst:target=" + DATABASE + ",rate=" + RATE + ",after=5s,for=8s",
                        "--scenario", "latency:target=payments,delay=" + DELAY_MS + "ms,after=14s,for=6s")) {
            URI management = launcher.awaitManagementBase(PATIENCE);
            otlp.awaitSpans(all -> all.stream().filter(s -> s.getName().equals("scenario end")).count() >= 2, PATIENCE);
            burnInEachServiceInTurn(otlp, management);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            spans = otlp.traceRequests().stream().flatMap(r -> r.getResourceSpansList().stream())
                    .flatMap(rs -> rs.getScopeSpansList().stream().flatMap(ss -> ss.getSpansList().stream())
                            .map(s -> new Exported(s, OtlpReceiver.attribute(rs.getResource(), "service.name").orElse("?"))))
                    .toList();
            uploads = pyroscope.uploads();
        }
        // The hot spot's turns come after both windows: what is outside them is before them.
        long hot = spans.stream().filter(s -> s.span().getName().equals("scenario start")
                && "cpu-hotspot".equals(s.attribute("scenario.name"))).mapToLong(s -> s.span().getStartTimeUnixNano())
                .min().orElseThrow();
        assertLatencyLandsOnPayments(spans, window(spans, "latency").before(hot));
        assertErrorsLandOnTheDatabase(spans, window(spans, "error-burst").before(hot));
        assertEachServicesProfileCarriesItsOwnSpans(spans, uploads);
    }

    /**
     * The shop's own work is a few parked waits and too little CPU to be sampled: for the profiles,
     * the CPU hot spot is aimed at each service in turn on the management port (a second start
     * moves it), {@link #BURNS} requests each, then stopped.
     */
    private static void burnInEachServiceInTurn(OtlpReceiver otlp, URI management) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String role : SERVICES) {
            HttpResponse<String> moved = client.send(HttpRequest.newBuilder(management.resolve(
                    "/scenarios/cpu-hotspot?burn=20ms&target=" + role)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, moved.statusCode(), moved.body());
            long since = System.currentTimeMillis() * NANOS_PER_MS;
            // The consumer's work is its consumer span; each other role's, its server span: an RPC
            // server span named by its method for payments (reached over RPC), GET /<role> for the others.
            String work = switch (role) {
                case "notifications" -> "process order-events";
                case "payments" -> "shop.payments.v1.PaymentService/Charge";
                default -> "GET /" + role;
            };
            otlp.awaitSpans(all -> all.stream().filter(s -> s.getStartTimeUnixNano() > since && s.getName().equals(work))
                    .count() >= BURNS, PATIENCE);
        }
        HttpResponse<String> stopped = client.send(HttpRequest.newBuilder(management.resolve("/scenarios/cpu-hotspot"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stopped.statusCode(), stopped.body());
    }

    /** The scenarios' usage errors: an unknown target lists the targets; a topology target needs --topology. */
    @Test
    void aTargetThatDoesNotRunIsAUsageError() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--topology", "--scenario", "latency:target=billing")) {
            assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.output().contains("invalid value 'latency:target=billing' for --scenario: expected latency "
                    + "target to be one of service, frontend, orders, postgresql/orders, inventory, redis, payments, "
                    + "notifications ('billing' is not)"), launcher.output());
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains("\tat ")), "no stack trace\n" + launcher.output());
        }
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--http-port", "0", "--scenario", "error-burst:target=" + DATABASE)) {
            assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(launcher.output().contains("error-burst target " + DATABASE + " is a node of the topology, which is "
                    + "off: add --topology, or aim it at target=service"), launcher.output());
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains("\tat ")), "no stack trace\n" + launcher.output());
        }
    }

    /**
     * Payments' server spans grow by the delay inside the window, inventory's (a sibling, not on
     * the path) do not, and the frontend's grow by it through the chain.
     */
    private static void assertLatencyLandsOnPayments(List<Exported> spans, Window window) {
        Map<String, Long> inside = new TreeMap<>();
        Map<String, Long> outside = new TreeMap<>();
        for (String role : List.of("payments", "inventory", "frontend")) {
            // The frontend's requests that got as far as payments: those the database let through.
            List<Exported> served = spans.stream().filter(s -> s.service().equals(BASE + "-" + role)
                    && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER && !s.failed()).toList();
            inside.put(role, median(served.stream().filter(window::inside).toList()));
            outside.put(role, median(served.stream().filter(window::outside).toList()));
        }
        String figures = "median server span ms inside the window " + inside + ", outside " + outside;
        System.out.println("TopologyTargetsIT latency: " + figures);
        // Slept at least the delay; the upper margin is for a loaded 2-core machine.
        long payments = inside.get("payments") - outside.get("payments");
        assertTrue(payments >= DELAY_MS - 5 && payments <= DELAY_MS + 200, "payments grows by " + DELAY_MS + " ms; " + figures);
        assertTrue(inside.get("inventory") - outside.get("inventory") <= 50, "inventory unchanged; " + figures);
        assertTrue(inside.get("frontend") - outside.get("frontend") >= DELAY_MS - 5,
                "the frontend grows by the delay through the chain; " + figures);
    }

    /**
     * The database's client spans fail at the rate inside the window and never outside it; each
     * failed call fails its orders request (502, the failure's type) and the frontend's above it.
     */
    private static void assertErrorsLandOnTheDatabase(List<Exported> spans, Window window) {
        List<Exported> calls = spans.stream().filter(s -> s.service().equals(BASE + "-orders")
                && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT && s.attribute("db.system.name") != null
                && "postgresql".equals(s.attribute("db.system.name"))).toList();
        List<Exported> during = calls.stream().filter(window::inside).toList();
        List<Exported> otherwise = calls.stream().filter(window::outside).toList();
        long failedDuring = during.stream().filter(Exported::failed).count();
        long failedOtherwise = otherwise.stream().filter(Exported::failed).count();
        String figures = String.format("%d of %d database calls failed inside the window, %d of %d outside",
                failedDuring, during.size(), failedOtherwise, otherwise.size());
        System.out.println("TopologyTargetsIT errors: " + figures);
        assertTrue(during.size() >= 20 && otherwise.size() >= 20, "calls enough to judge by; " + figures);
        // Binomial: with 20 calls or more, 0.5 ± 0.22 is beyond three standard deviations.
        double share = (double) failedDuring / during.size();
        assertTrue(Math.abs(share - RATE) <= 0.22, "error share " + RATE + " ± 0.22 inside; " + figures);
        assertEquals(0, failedOtherwise, "no failed call outside the window; " + figures);
        assertTrue(during.stream().filter(Exported::failed)
                        .allMatch(s -> s.attribute("error.type").equals("dev.helloworld.topology.DependencyFailure")),
                "every failed call says why in error.type");

        Map<String, Exported> byId = spans.stream().collect(Collectors.toMap(Exported::id, s -> s, (a, b) -> a));
        List<String> unpropagated = new ArrayList<>();
        for (Exported call : during.stream().filter(Exported::failed).toList()) {
            Exported orders = byId.get(hex(call.span().getParentSpanId()));
            Exported frontend = spans.stream().filter(s -> s.service().equals(BASE + "-frontend")
                    && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER
                    && s.span().getTraceId().equals(call.span().getTraceId())).findFirst().orElse(null);
            if (orders == null || !orders.failed() || !"502".equals(orders.attribute("http.response.status_code"))
                    || frontend == null || !frontend.failed()) {
                unpropagated.add(call.id());
            }
        }
        assertEquals(List.of(), unpropagated, "100 % of the " + failedDuring + " failed calls fail orders (502) and the frontend");
        long failedServersOutside = spans.stream().filter(s -> s.service().startsWith(BASE + "-")
                && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER && window.outside(s) && s.failed()).count();
        assertEquals(0, failedServersOutside, "no service fails outside the window");
    }

    /**
     * For each logical service, the CPU samples labelled {@code logical_service=<its name>} carry
     * span ids, and at least 90 % of those ids are of spans that service exported as local roots
     * (with {@code pyroscope.profile.id}, the link from the span to its profile).
     */
    private static void assertEachServicesProfileCarriesItsOwnSpans(List<Exported> spans,
            List<PyroscopeReceiver.Upload> uploads) {
        // The service's local roots: its spans that carry pyroscope.profile.id, their own id.
        Map<String, Set<String>> exportedBy = spans.stream().filter(s -> s.id().equals(s.attribute("pyroscope.profile.id")))
                .collect(Collectors.groupingBy(Exported::service, Collectors.mapping(Exported::id, Collectors.toSet())));
        Map<String, Set<String>> carriedBy = new TreeMap<>();
        Map<String, Long> samplesBy = new TreeMap<>();
        for (PyroscopeReceiver.Upload upload : uploads) {
            Map<Long, Map<String, String>> contexts = upload.labelContexts();
            for (PyroscopeReceiver.Sample sample : upload.samples()) {
                String service = contexts.getOrDefault(sample.contextId(), Map.of()).get("logical_service");
                if (service == null || !sample.eventType().equals("jdk.ExecutionSample")) {
                    continue;
                }
                samplesBy.merge(service, 1L, Long::sum);
                if (sample.spanId() != 0) {
                    carriedBy.computeIfAbsent(service, s -> new java.util.TreeSet<>()).add(sample.spanIdHex());
                }
            }
        }
        Map<String, String> shares = new TreeMap<>();
        for (String role : SERVICES) {
            String service = BASE + "-" + role;
            Set<String> carried = carriedBy.getOrDefault(service, Set.of());
            Predicate<String> own = exportedBy.getOrDefault(service, Set.of())::contains;
            shares.put(service, carried.stream().filter(own).count() + "/" + carried.size());
        }
        String figures = "CPU samples by logical_service " + samplesBy + "; span ids carried that are the service's own " + shares;
        System.out.println("TopologyTargetsIT profiles: " + figures);
        for (String role : SERVICES) {
            String service = BASE + "-" + role;
            Set<String> carried = carriedBy.getOrDefault(service, Set.of());
            long own = carried.stream().filter(exportedBy.getOrDefault(service, Set.of())::contains).count();
            assertTrue(!carried.isEmpty(), service + "'s samples carry span ids; " + figures);
            assertTrue(own >= 0.9 * carried.size(), "at least 90 % of " + service + "'s span ids are its own; " + figures);
        }
    }

    private static Window window(List<Exported> spans, String scenario) {
        long start = spans.stream().filter(s -> s.span().getName().equals("scenario start")
                && scenario.equals(s.attribute("scenario.name"))).mapToLong(s -> s.span().getStartTimeUnixNano())
                .findFirst().orElseThrow(() -> new AssertionError("no recorded start of " + scenario));
        long end = spans.stream().filter(s -> s.span().getName().equals("scenario end")
                && scenario.equals(s.attribute("scenario.name"))).mapToLong(s -> s.span().getStartTimeUnixNano())
                .findFirst().orElseThrow(() -> new AssertionError("no recorded end of " + scenario));
        return new Window(start, end, Long.MAX_VALUE);
    }

    private static long median(List<Exported> spans) {
        assertTrue(spans.size() >= 5, "spans enough for a median: " + spans.size());
        List<Long> millis = spans.stream().map(Exported::millis).sorted().toList();
        return millis.get(millis.size() / 2);
    }
}
