package dev.helloworld.http.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server span of any Undertow handler: semantic conventions, routes, errors, dispatch. */
class ServerSpanHandlerTest {

    // The incubating conventions' keys, spelt out: the stable semconv artifact does not have them.
    private static final AttributeKey<Long> HTTP_REQUEST_BODY_SIZE = AttributeKey.longKey("http.request.body.size");
    private static final AttributeKey<Long> HTTP_RESPONSE_BODY_SIZE = AttributeKey.longKey("http.response.body.size");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private Undertow server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        sdk.close();
    }

    @Test
    void withNothingToRecordTheRequestPathHasNoOpenTelemetryInIt() {
        HttpHandler next = exchange -> exchange.getResponseSender().send("hello");

        assertSame(next, ServerSpanHandler.around(OpenTelemetry.noop(), true, next), "every signal off, or no OTLP plugin");
        assertTrue(ServerSpanHandler.around(sdk, false, next) instanceof ServerSpanHandler, "an SDK's tracer and meter");
        assertTrue(ServerSpanHandler.around(OpenTelemetrySdk.builder().setMeterProvider(
                SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build()).build(), false, next)
                instanceof ServerSpanHandler, "metrics alone: the duration histogram");
    }

    @Test
    void describesTheRequestWithStableHttpSemanticConventions() throws Exception {
        URI uri = serve(Handlers.routing().get("/items/{id}", exchange -> exchange.getResponseSender().send("item")));

        int status = get(uri.resolve("/items/7?color=red"), "spec-agent/1.0");
        SpanData span = awaitOneSpan();

        assertEquals(200, status);
        assertEquals("GET /items/{id}", span.getName());
        assertEquals(SpanKind.SERVER, span.getKind());
        var a = span.getAttributes();
        assertEquals("GET", a.get(HttpAttributes.HTTP_REQUEST_METHOD));
        assertEquals("/items/{id}", a.get(HttpAttributes.HTTP_ROUTE));
        assertEquals(200L, a.get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
        assertEquals("/items/7", a.get(UrlAttributes.URL_PATH));
        assertEquals("color=red", a.get(UrlAttributes.URL_QUERY));
        assertEquals("http", a.get(UrlAttributes.URL_SCHEME));
        assertEquals("127.0.0.1", a.get(ServerAttributes.SERVER_ADDRESS));
        assertEquals((long) uri.getPort(), a.get(ServerAttributes.SERVER_PORT));
        assertEquals("127.0.0.1", a.get(ClientAttributes.CLIENT_ADDRESS));
        assertEquals("127.0.0.1", a.get(NetworkAttributes.NETWORK_PEER_ADDRESS));
        assertEquals("1.1", a.get(NetworkAttributes.NETWORK_PROTOCOL_VERSION));
        assertEquals("spec-agent/1.0", a.get(UserAgentAttributes.USER_AGENT_ORIGINAL));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    }

    @Test
    void recordsUrlQueryWithTheValuesOfSignaturesAndAccessKeysRedacted() throws Exception {
        URI uri = serve(Handlers.routing().get("/file", exchange -> exchange.getResponseSender().send("file")));

        get(uri.resolve("/file?sig=abc&color=red&Signature=s%2Fx&AWSAccessKeyId=AKIA&X-Goog-Signature=f00&SIG=kept"),
                "test");
        SpanData span = awaitOneSpan();

        assertEquals("sig=REDACTED&color=red&Signature=REDACTED&AWSAccessKeyId=REDACTED&X-Goog-Signature=REDACTED"
                + "&SIG=kept", span.getAttributes().get(UrlAttributes.URL_QUERY));
    }

    @Test
    void namesAnUnroutedRequestByItsMethodAndLeavesA404Unmarked() throws Exception {
        URI uri = serve(Handlers.routing().get("/known", exchange -> exchange.getResponseSender().send("ok")));

        assertEquals(404, get(uri.resolve("/unknown"), "test"));
        SpanData span = awaitOneSpan();

        assertEquals("GET", span.getName());
        assertNull(span.getAttributes().get(HttpAttributes.HTTP_ROUTE));
        assertEquals(404L, span.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode(), "a 4xx is the client's error");
    }

    @Test
    void marksAThrowingHandlerAsAnErrorWithTheExceptionAnd500() throws Exception {
        URI uri = serve(new BlockingHandler(exchange -> {
            throw new IllegalStateException("disk on fire");
        }));

        assertEquals(500, get(uri.resolve("/boom"), "test"));
        SpanData span = awaitOneSpan();

        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(500L, span.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
        assertEquals(List.of("exception"), span.getEvents().stream().map(e -> e.getName()).toList());
        // The conventions: once a status code was sent, error.type is that code; the exception is the event.
        assertEquals("500", span.getAttributes().get(ErrorAttributes.ERROR_TYPE));
        assertEquals("java.lang.IllegalStateException", span.getEvents().get(0).getAttributes()
                .get(io.opentelemetry.api.common.AttributeKey.stringKey("exception.type")));
    }

    @Test
    void recordsTheHttpServerMetricsOfTheConventions() throws Exception {
        URI uri = serve(Handlers.routing()
                .get("/items/{id}", exchange -> exchange.getResponseSender().send("item"))
                .get("/fail", exchange -> exchange.setStatusCode(503)));
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get(uri.resolve("/items/" + i), "test"));
        }
        assertEquals(503, get(uri.resolve("/fail"), "test"));
        awaitSpans(6);

        var collected = metrics.collectAllMetrics().stream()
                .collect(java.util.stream.Collectors.toMap(MetricData::getName, m -> m));
        MetricData duration = collected.get("http.server.request.duration");
        assertEquals("s", duration.getUnit());
        var points = duration.getHistogramData().getPoints();
        HistogramPointData items = points.stream()
                .filter(p -> "/items/{id}".equals(p.getAttributes().get(HttpAttributes.HTTP_ROUTE))).findFirst().orElseThrow();
        assertEquals(5, items.getCount(), "one measurement per request of the route");
        assertEquals("GET", items.getAttributes().get(HttpAttributes.HTTP_REQUEST_METHOD));
        assertEquals(200L, items.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
        // The conventions' advice, which no view of ours replaces.
        assertEquals(List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0),
                items.getBoundaries());
        HistogramPointData failed = points.stream()
                .filter(p -> "/fail".equals(p.getAttributes().get(HttpAttributes.HTTP_ROUTE))).findFirst().orElseThrow();
        assertEquals(503L, failed.getAttributes().get(HttpAttributes.HTTP_RESPONSE_STATUS_CODE));
        assertEquals("503", failed.getAttributes().get(ErrorAttributes.ERROR_TYPE));

        assertEquals(java.util.Set.of("http.server.request.duration"), collected.keySet(),
                "the stable metric only, as the Java agent by default: no experimental one");
        assertTrue(awaitSpans(6).stream().allMatch(s -> s.getAttributes().get(HTTP_RESPONSE_BODY_SIZE) == null),
                "no experimental attribute on any of the 6 server spans");
    }

    @Test
    void recordsTheExperimentalHttpServerTelemetryWhenAskedForAsTheJavaAgentDoes() throws Exception {
        URI uri = serve(true, Handlers.routing()
                .post("/items", new BlockingHandler(exchange -> {
                    exchange.getInputStream().readAllBytes();
                    exchange.getResponseSender().send("stored");
                })));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, post(uri.resolve("/items"), "twelve bytes"));
        }
        List<SpanData> spans = awaitSpans(4);

        var collected = metrics.collectAllMetrics().stream()
                .collect(java.util.stream.Collectors.toMap(MetricData::getName, m -> m));
        MetricData active = collected.get("http.server.active_requests");
        assertEquals("{requests}", active.getUnit()); // the library's unit for this experimental metric
        assertEquals(0, active.getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum(),
                "every request finished");
        HistogramPointData requestSizes = collected.get("http.server.request.body.size").getHistogramData()
                .getPoints().iterator().next();
        assertEquals(4, requestSizes.getCount(), "one request size per request");
        assertEquals(4 * 12.0, requestSizes.getSum(), "the requests' Content-Length");
        HistogramPointData responseSizes = collected.get("http.server.response.body.size").getHistogramData()
                .getPoints().iterator().next();
        assertEquals(4 * 6.0, responseSizes.getSum(), "the responses' Content-Length");
        assertEquals(4, spans.stream().filter(s -> Long.valueOf(12).equals(s.getAttributes().get(HTTP_REQUEST_BODY_SIZE))
                && Long.valueOf(6).equals(s.getAttributes().get(HTTP_RESPONSE_BODY_SIZE))).count(),
                "both body sizes on all 4 server spans: " + spans);
    }

    @Test
    void redactsTheQueryParametersTheConventionsNameAsSensitive() throws Exception {
        URI uri = serve(Handlers.routing().get("/items/{id}", exchange -> exchange.getResponseSender().send("item")));

        assertEquals(200, get(uri.resolve("/items/7?sig=abc&color=red&AWSAccessKeyId=AKIA&X-Goog-Signature=g&Signature=s"), "test"));

        assertEquals("sig=REDACTED&color=red&AWSAccessKeyId=REDACTED&X-Goog-Signature=REDACTED&Signature=REDACTED",
                awaitOneSpan().getAttributes().get(UrlAttributes.URL_QUERY));
    }

    @Test
    void keepsTheServerSpanCurrentOnTheWorkerThreadAfterDispatch() throws Exception {
        AtomicReference<String> seenOnWorker = new AtomicReference<>();
        AtomicReference<String> workerThread = new AtomicReference<>();
        URI uri = serve(new BlockingHandler(exchange -> {
            workerThread.set(Thread.currentThread().getName());
            seenOnWorker.set(Span.current().getSpanContext().getSpanId());
            exchange.getResponseSender().send("done");
        }));

        assertEquals(200, get(uri.resolve("/work"), "test"));
        SpanData span = awaitOneSpan();

        assertTrue(workerThread.get().contains("task"), () -> "expected a worker thread, ran on " + workerThread.get());
        assertEquals(span.getSpanId(), seenOnWorker.get(), "the current span on the worker thread");
    }

    @Test
    void isNamedAfterItsRouteBeforeTheWorkIsDispatched() throws Exception {
        // Profiles label the worker's samples with the name the span has when the work starts there.
        AtomicReference<String> nameOnWorker = new AtomicReference<>();
        URI uri = serve(Handlers.routing().get("/items/{id}", new BlockingHandler(exchange -> {
            nameOnWorker.set(((ReadableSpan) Span.current()).getName());
            exchange.getResponseSender().send("item");
        })));

        assertEquals(200, get(uri.resolve("/items/7"), "test"));
        SpanData span = awaitOneSpan();

        assertEquals("GET /items/{id}", nameOnWorker.get(), "name of the server span while the worker runs");
        assertEquals("GET /items/{id}", span.getName());
    }

    private URI serve(HttpHandler handler) {
        return serve(false, handler);
    }

    private URI serve(boolean experimental, HttpHandler handler) {
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new ServerSpanHandler(sdk, experimental, handler)).build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://127.0.0.1:" + bound.getPort());
    }

    private static int post(URI uri, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(body.length());
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            try (var out = connection.getOutputStream()) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private static int get(URI uri, String userAgent) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        try {
            connection.setRequestProperty("User-Agent", userAgent);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(10000);
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    private List<SpanData> awaitSpans(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (exporter.getFinishedSpanItems().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " spans within 10s; " + exporter.getFinishedSpanItems().size() + " ended");
            }
            Thread.sleep(5);
        }
        return exporter.getFinishedSpanItems();
    }

    private SpanData awaitOneSpan() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (exporter.getFinishedSpanItems().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected a server span within 10s; none ended");
            }
            Thread.sleep(5);
        }
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertEquals(1, spans.size(), () -> "expected one span, got " + spans);
        return spans.get(0);
    }
}
