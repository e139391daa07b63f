package dev.helloworld.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.spi.ProfileLabels;
import dev.helloworld.core.spi.RequestHook;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What other plugins hook into the shop's work, through core's SPIs: an incident aimed at one
 * dependency fails that dependency's client span and every caller above it, and nothing else;
 * each role's work is labelled with its own service name, on its own threads.
 */
class TargetedWorkTest {

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final List<LogicalService> services = new ArrayList<>();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    /** Each label put on, as "service on thread", and each taken off. */
    private final List<String> labelled = new CopyOnWriteArrayList<>();
    private final List<String> unlabelled = new CopyOnWriteArrayList<>();
    private final List<String> targets = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        services.forEach(LogicalService::stop);
        sdk.close();
    }

    @Test
    void aFailedDependencyFailsItsClientSpanAndEveryCallerAboveItAndNothingElse() throws Exception {
        URI entry = startShop(target -> {
            targets.add(target);
            return target.equals(Dependency.ORDERS_DATABASE.node())
                    ? Optional.of(new RequestFailure(500, "injected")) : Optional.empty();
        });
        assertEquals(502, get(entry), "the frontend answers 502");

        // The frontend's server span, the call to orders (client, server), the failed database call.
        List<SpanData> exported = awaitSpans(4);
        SpanData insert = named(exported, "INSERT orders");
        assertEquals(StatusCode.ERROR, insert.getStatus().getStatusCode());
        assertEquals(DependencyFailure.TYPE, insert.getAttributes().get(ERROR_TYPE));
        SpanData orders = named(exported, "GET /orders", io.opentelemetry.api.trace.SpanKind.SERVER);
        assertEquals(StatusCode.ERROR, orders.getStatus().getStatusCode());
        assertEquals(502L, orders.getAttributes().get(STATUS));
        assertEquals(DependencyFailure.TYPE, orders.getAttributes().get(ERROR_TYPE));
        SpanData frontend = named(exported, "GET /frontend", io.opentelemetry.api.trace.SpanKind.SERVER);
        assertEquals(StatusCode.ERROR, frontend.getStatus().getStatusCode());
        assertEquals(502L, frontend.getAttributes().get(STATUS));
        assertEquals(List.of("frontend", "orders", "postgresql/orders"), targets,
                "the hook is asked for each role served and dependency called, in order, and the order stops there");
    }

    @Test
    void eachRolesWorkIsLabelledWithItsOwnServiceNameOnItsOwnThreads() throws Exception {
        URI entry = startShop(target -> Optional.empty());
        assertEquals(200, get(entry));
        awaitSpans(1 + 2 * 3 + 2 + 1);

        Map<String, Set<String>> threadsByService = labelled.stream().collect(Collectors.groupingBy(
                l -> l.substring(0, l.indexOf(' ')), Collectors.mapping(l -> l.substring(l.indexOf(" on ") + 4),
                        Collectors.toSet())));
        assertEquals(Set.of("shop-frontend", "shop-orders", "shop-inventory", "shop-payments"), threadsByService.keySet());
        threadsByService.forEach((service, threads) -> assertTrue(threads.stream().allMatch(
                t -> t.startsWith("topology-" + service.substring("shop-".length()) + "-")),
                service + " labelled on its own workers only: " + threads));
        assertEquals(labelled.size(), unlabelled.size(), "every label taken off again");
    }

    private URI startShop(WorkHook hook) throws Exception {
        ProfileLabels labels = serviceName -> {
            labelled.add(serviceName + " on " + Thread.currentThread().getName());
            return () -> unlabelled.add(serviceName);
        };
        WorkHooks hooks = new WorkHooks(Optional.of(hook), Optional.of(labels));
        Map<String, URI> uris = new LinkedHashMap<>();
        for (String role : Shop.roles()) {
            LogicalService service = LogicalService.bind(role, "shop-" + role, sdk, hooks);
            services.add(service);
            uris.put(role, service.uri());
        }
        MessageQueue queue = new MessageQueue();
        services.forEach(service -> service.start(uris, queue));
        return uris.get(Shop.ENTRY);
    }

    /** An incident hook for the shop's work only. */
    @FunctionalInterface
    private interface WorkHook extends RequestHook {
        @Override
        Optional<RequestFailure> beforeWork(String target);

        @Override
        default Optional<RequestFailure> beforeRequest(String method, String path) {
            throw new AssertionError("the shop never asks for the process's own server's requests");
        }
    }

    private static int get(URI uri) throws Exception {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        int status = connection.getResponseCode();
        (status >= 400 ? connection.getErrorStream() : connection.getInputStream()).readAllBytes();
        return status;
    }

    private static SpanData named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
    }

    private static SpanData named(List<SpanData> spans, String name, io.opentelemetry.api.trace.SpanKind kind) {
        return spans.stream().filter(s -> s.getName().equals(name) && s.getKind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " span " + name + " in " + spans));
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
