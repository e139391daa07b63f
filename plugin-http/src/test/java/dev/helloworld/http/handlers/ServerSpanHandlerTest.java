package dev.helloworld.http.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
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
        assertEquals("java.lang.IllegalStateException", span.getAttributes().get(ErrorAttributes.ERROR_TYPE));
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
        server = Undertow.builder().addHttpListener(0, "127.0.0.1")
                .setHandler(new ServerSpanHandler(sdk, handler)).build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://127.0.0.1:" + bound.getPort());
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
