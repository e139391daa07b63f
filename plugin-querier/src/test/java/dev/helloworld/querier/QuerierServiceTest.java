package dev.helloworld.querier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.Service;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.semconv.HttpAttributes;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The querier against a real helloworld server, a refusing port and a silent one. */
class QuerierServiceTest {

    private static final String CALL = "caller/query_hello_world";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final List<Plugin> discovered = Plugins.discover(getClass().getClassLoader());
    private final Deque<Service> running = new ArrayDeque<>();
    private final LogCapture otelLog = LogCapture.of(ConsoleLogging.OTEL_LOGGER);
    private final LogCapture querierLog = LogCapture.of("helloworld.querier");

    @AfterEach
    void stopAll() throws Exception {
        while (!running.isEmpty()) {
            running.pop().stop();
        }
        otelLog.close();
        querierLog.close();
        sdk.close();
    }

    @Test
    void callsThePublishedServerOncePerIntervalTheFirstTimeAfterOneInterval() throws Exception {
        TestContext context = context(Map.of("query.interval", "300ms"));
        startServer(context);
        long started = System.nanoTime();
        start(new QuerierService(), context);

        otelLog.await(m -> m.equals("[query_hello_world] send request"), 1, "a call");
        long firstCallMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        List<LogCapture.Line> answers = otelLog.await(m -> m.startsWith("[query_hello_world] received: "), 2, "two answers");

        assertTrue(firstCallMillis >= 300, () -> "expected the first call after one interval (300 ms), came after "
                + firstCallMillis + " ms");
        for (LogCapture.Line answer : answers) {
            assertTrue(answer.message().matches("\\[query_hello_world] received: 200 Hello World, [A-Za-z ]+!"),
                    () -> "expected '<status> <body>' of a 200, got " + answer);
            assertEquals(Level.INFO, answer.level(), answer::toString);
        }
        String answeredIn = answers.get(0).span().getSpanId();
        SpanData call = awaitSpan(CALL, s -> s.getSpanId().equals(answeredIn));
        SpanData client = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(call.getSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("expected a client span under " + CALL + ", got " + names()));
        assertEquals(200L, client.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
    }

    @Test
    void logsRefusedConnectionsAsWarningsAndKeepsCalling() throws Exception {
        int closedPort = closedPort();
        String url = "http://127.0.0.1:" + closedPort + "/helloworld";
        start(new QuerierService(), context(Map.of("query.interval", "50ms", "query.target", "http://127.0.0.1:" + closedPort)));

        List<LogCapture.Line> failures = otelLog.await(m -> m.startsWith("[query_hello_world] request to "), 2,
                "two failed calls");

        for (LogCapture.Line failure : failures) {
            assertEquals("[query_hello_world] request to " + url + " failed: connection refused", failure.message());
            assertEquals(Level.WARNING, failure.level());
        }
        SpanData call = awaitSpan(CALL, s -> true);
        assertEquals(StatusCode.ERROR, call.getStatus().getStatusCode());
        assertEquals("connection refused", call.getStatus().getDescription());
    }

    @Test
    void stopsPromptlyWhileACallHangsCancellingItAndLeavingNoThreadOrConnection() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            QuerierService querier = new QuerierService();
            start(querier, context(Map.of("query.interval", "50ms",
                    "query.target", "http://127.0.0.1:" + silent.getLocalPort())));
            otelLog.await(m -> m.equals("[query_hello_world] send request"), 1, "a call to the silent target");

            long before = System.nanoTime();
            stop(querier);
            long stopMillis = Duration.ofNanos(System.nanoTime() - before).toMillis();

            long limit = QuerierService.STOP_GRACE.plusSeconds(2).toMillis();
            assertTrue(stopMillis < limit, () -> "expected stop within " + limit + " ms, took " + stopMillis);
            assertNoQuerierThreads();
            assertEquals(0, querier.openConnections(), "connections left open");
            int calls = otelLog.matching(m -> m.equals("[query_hello_world] send request")).size();
            assertEquals(calls, otelLog.matching(m -> m.startsWith("[query_hello_world] request to ")).size(),
                    () -> "every call sent has ended, the hanging one cancelled: " + otelLog.lines());
        }
    }

    @Test
    void countsCallsItCancelsAtStopApartFromFailures() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            QuerierService querier = new QuerierService();
            start(querier, context(Map.of("query.rate", "50", "query.concurrency", "3",
                    "query.target", "http://127.0.0.1:" + silent.getLocalPort())));
            // Steady load logs its calls at DEBUG: the three connections the target accepts are the calls.
            List<java.net.Socket> calls = new java.util.ArrayList<>();
            silent.setSoTimeout(20_000);
            for (int i = 0; i < 3; i++) {
                calls.add(silent.accept());
            }

            stop(querier);
            for (java.net.Socket call : calls) {
                call.close();
            }

            LogCapture.Line total = querierLog.await(m -> m.startsWith("in total "), 1, "the report on stop").get(0);
            assertTrue(total.message().matches("in total 3 calls in [\\d.]+s \\([\\d.]+/s, target 50/s\\): none answered, "
                    + "skipped: \\d+, cancelled at stop: 3, up to 3 in flight"), () -> "expected the three calls hung at stop "
                    + "counted as cancelled, not failed: " + total.message());
            assertTrue(otelLog.matching(m -> m.contains(" failed: ")).isEmpty(), () -> "no call logged as failed: "
                    + otelLog.lines());
        }
    }

    @Test
    void steadyLoadReportsItsAchievedRateAndStatusCountsPeriodicallyAndOnStop() throws Exception {
        TestContext context = context(Map.of("query.rate", "40", "query.concurrency", "2", "error.rate", "0.5"));
        startServer(context);
        QuerierService querier = new QuerierService(Duration.ofMillis(500));
        start(querier, context);

        querierLog.await(m -> m.startsWith("last "), 1, "a periodic report");
        stop(querier);

        LogCapture.Line total = querierLog.await(m -> m.startsWith("in total "), 1, "the report on stop").get(0);
        Matcher m = Pattern.compile("in total (\\d+) calls in ([\\d.]+)s \\(([\\d.]+)/s, target 40/s\\): "
                + "((?:(?:200|500)=\\d+ ?)+), skipped: (\\d+), up to 2 in flight").matcher(total.message());
        assertTrue(m.matches(), () -> "unexpected report: " + total.message());
        long calls = Long.parseLong(m.group(1));
        List<SpanData> ended = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(CALL)).toList();
        assertEquals(ended.size(), calls, "calls reported vs caller spans ended");
        long answered = Pattern.compile("=(\\d+)").matcher(m.group(4)).results()
                .mapToLong(r -> Long.parseLong(r.group(1))).sum();
        assertEquals(calls, answered, "200s and 500s add up to the calls");
        // Every due call was either made or skipped (a slow machine skips more): together they keep the pace.
        double seconds = Double.parseDouble(m.group(2));
        double due = (calls + Long.parseLong(m.group(5))) / seconds;
        assertTrue(due > 20 && due < 50, () -> "expected about 40 calls due per second, got " + total.message()
                + " and " + querierLog.lines());
        assertNoQuerierThreads();
    }

    @Test
    void targetsThePublishedServerAddressBeforeTheConfiguredOne() throws Exception {
        TestContext context = context(Map.of("http.port", "8080"));
        context.publish(HttpServerAddress.class, new HttpServerAddress(URI.create("http://127.0.0.1:41234")));
        start(new QuerierService(), context);

        assertEquals("calling http://127.0.0.1:41234/helloworld every 3s", querierLog.lines().get(0).message());
    }

    @Test
    void targetsQueryTargetWhenSetEvenWithAServerInProcess() throws Exception {
        TestContext context = context(Map.of("query.target", "http://service.example:9000/"));
        context.publish(HttpServerAddress.class, new HttpServerAddress(URI.create("http://127.0.0.1:41234")));
        start(new QuerierService(), context);

        assertEquals("calling http://service.example:9000/helloworld every 3s", querierLog.lines().get(0).message());
    }

    @Test
    void targetsLoopbackForAWildcardAddressWithoutAServerInProcess() throws Exception {
        start(new QuerierService(), context(Map.of("http.address", "0.0.0.0", "http.port", "8081")));

        assertEquals("calling http://127.0.0.1:8081/helloworld every 3s", querierLog.lines().get(0).message());
    }

    // ---- helpers ----

    private TestContext context(Map<String, String> flags) {
        Map<String, String> all = new HashMap<>(Map.of("http.address", "127.0.0.1", "http.port", "0",
                "work.scale", "0", "error.rate", "0"));
        all.putAll(flags);
        List<ConfigKey<?>> keys = Plugins.configKeys(discovered);
        TestContext context = TestContext.of(keys, all);
        context.publish(OpenTelemetry.class, sdk);
        return context;
    }

    /** The real helloworld server, found as the launcher finds it. */
    private void startServer(TestContext context) throws Exception {
        Service http = discovered.stream().filter(p -> p.name().equals("http")).findFirst()
                .orElseThrow(() -> new AssertionError("plugin-http is not on the test path")).service();
        http.start(context.forService("http"));
        running.push(http);
    }

    private void start(QuerierService querier, TestContext context) throws Exception {
        querier.start(context);
        running.push(querier);
    }

    private void stop(QuerierService querier) throws Exception {
        running.remove(querier);
        querier.stop();
    }

    private SpanData awaitSpan(String name, java.util.function.Predicate<SpanData> matching) throws InterruptedException {
        java.util.function.Predicate<SpanData> wanted = s -> s.getName().equals(name) && matching.test(s);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (spans.getFinishedSpanItems().stream().noneMatch(wanted)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected a span named " + name + " within 20s; ended: " + names());
            }
            Thread.sleep(10);
        }
        return spans.getFinishedSpanItems().stream().filter(wanted).findFirst().orElseThrow();
    }

    private List<String> names() {
        return spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The querier's own threads end with stop; OkHttp's shared TaskRunner threads are not its own. */
    private static void assertNoQuerierThreads() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith(CallLoop.THREAD_NAME + "-") || n.startsWith("OkHttp Dispatcher")
                            || n.startsWith("OkHttp http://"))
                    .toList();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected no querier or OkHttp call threads after stop, found " + left);
            }
            Thread.sleep(10);
        }
    }
}
