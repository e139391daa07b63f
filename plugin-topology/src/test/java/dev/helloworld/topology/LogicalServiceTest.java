package dev.helloworld.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shop's services on real loopback sockets, each with an SDK of its own, one request in. */
class LogicalServiceTest {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final List<LogicalService> services = new ArrayList<>();
    private final List<OpenTelemetrySdk> sdks = new ArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(LogicalService::stop);
        sdks.forEach(OpenTelemetrySdk::close);
    }

    @Test
    void oneRequestIntoTheFrontendIsOneTraceThroughEveryServiceWithEveryParentPresent() throws Exception {
        Map<String, URI> uris = new LinkedHashMap<>();
        for (String role : Shop.roles()) {
            LogicalService service = LogicalService.bind(role, "shop-" + role, sdk("shop-" + role), WorkHooks.NONE);
            services.add(service);
            uris.put(role, service.uri());
        }
        MessageQueue queue = new MessageQueue();
        services.forEach(service -> service.start(uris, queue));

        HttpURLConnection connection = (HttpURLConnection) uris.get(Shop.ENTRY).toURL().openConnection();
        assertEquals(200, connection.getResponseCode());
        connection.getInputStream().readAllBytes();

        // The frontend's server span, three calls (client and server), the database, the cache, the send.
        List<SpanData> exported = awaitSpans(1 + 2 * 3 + 2 + 1);
        assertEquals(1, exported.stream().map(SpanData::getTraceId).distinct().count(), "one trace: " + exported);
        Set<String> ids = exported.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        assertTrue(exported.stream().allMatch(s -> !s.getParentSpanContext().isValid() || ids.contains(s.getParentSpanId())),
                "every parent present: " + exported);
        assertEquals(Set.of("shop-frontend", "shop-orders", "shop-inventory", "shop-payments"),
                exported.stream().map(s -> s.getResource().getAttribute(SERVICE_NAME)).collect(Collectors.toSet()));
        SpanData insert = exported.stream().filter(s -> s.getName().equals("INSERT orders")).findFirst().orElseThrow();
        assertEquals(SpanKind.CLIENT, insert.getKind());
        assertEquals("shop-orders", insert.getResource().getAttribute(SERVICE_NAME));
        assertEquals("postgresql", insert.getAttributes().get(AttributeKey.stringKey("db.system.name")));
        assertEquals("orders", insert.getAttributes().get(AttributeKey.stringKey("db.namespace")));
        SpanData charge = exported.stream().filter(s -> s.getKind() == SpanKind.SERVER
                && s.getName().equals("shop.payments.v1.PaymentService/Charge")).findFirst().orElseThrow();
        assertEquals("shop-payments", charge.getResource().getAttribute(SERVICE_NAME));
        assertEquals("grpc", charge.getAttributes().get(AttributeKey.stringKey("rpc.system.name")));
        assertEquals("OK", charge.getAttributes().get(AttributeKey.stringKey("rpc.response.status_code")));
        SpanData call = exported.stream().filter(s -> s.getSpanId().equals(charge.getParentSpanId())).findFirst()
                .orElseThrow();
        assertEquals(SpanKind.CLIENT, call.getKind());
        assertEquals(charge.getName(), call.getName(), "client and server spans named after rpc.method");
        assertEquals("OK", call.getAttributes().get(AttributeKey.stringKey("rpc.response.status_code")));
        SpanData send = exported.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
        assertEquals("order-events", send.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertTrue(queue.next().orElseThrow().headers().get("traceparent").contains(send.getSpanId()),
                "the message carries the producer span's context");
    }

    private OpenTelemetrySdk sdk(String serviceName) {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setResource(Resource.getDefault().toBuilder().put(SERVICE_NAME, serviceName).build())
                        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        sdks.add(sdk);
        return sdk;
    }

    /** The server spans end just before their answer is sent: polled, with a deadline. */
    private List<SpanData> awaitSpans(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (spans.getFinishedSpanItems().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(count, finished.size(), "spans: " + finished);
        return finished;
    }
}
