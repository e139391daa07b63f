package dev.helloworld.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.ManagementRoute;
import dev.helloworld.core.spi.RequestHook;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What other plugins publish for the server: a hook around the routes, a route on the management listener. */
class RequestHookTest {

    @Test
    void aPublishedHookRunsInsideTheServerSpanAndItsFailureIsTheAnswer() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        RequestHook hook = (method, path) -> {
            seen.add(method + " " + path + " " + Span.current().getSpanContext().getSpanId());
            return path.equals("/helloworld") && seen.size() == 1
                    ? Optional.of(new RequestHook.RequestFailure(500, "injected")) : Optional.empty();
        };
        HttpService service = new HttpService();
        try (TestTelemetry telemetry = new TestTelemetry()) {
            URI base = start(service, telemetry.sdk, Map.of(), hook, null);
            try {
                assertEquals(new Http.Response(500, "injected"), Http.get(base.resolve("/helloworld")));
                assertEquals(200, Http.get(base.resolve("/helloworld")).status(), "the hook let the second through");

                List<SpanData> servers = telemetry.awaitSpans(s -> s.stream().filter(d -> d.getName().equals("GET /helloworld"))
                        .count() == 2, "two server spans").stream().filter(d -> d.getName().equals("GET /helloworld")).toList();
                SpanData failed = servers.stream().filter(d -> d.getStatus().getStatusCode() == StatusCode.ERROR).findFirst()
                        .orElseThrow(() -> new AssertionError("a server span with status ERROR: " + servers));
                assertEquals(500L, failed.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
                assertEquals("GET /helloworld " + failed.getSpanId(), seen.get(0), "the hook ran inside the failed request's span");
                assertEquals(2, seen.size(), "once per request: " + seen);
            } finally {
                service.stop();
            }
        }
    }

    /**
     * requests_total by status adds up to every request the client sent, and each status to the
     * answers the client saw with it: the 503s a hook failed (without a country, as the handler
     * never picked one) and the handler's own 200s and 500s (with their country).
     */
    @Test
    void requestsTotalCountsEveryRequestByItsStatusThoseTheHookFailedToo() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        RequestHook everyThird = (method, path) -> calls.incrementAndGet() % 3 == 0
                ? Optional.of(new RequestHook.RequestFailure(503, "injected")) : Optional.empty();
        HttpService service = new HttpService();
        try (TestTelemetry telemetry = new TestTelemetry()) {
            URI base = start(service, telemetry.sdk, Map.of("error.rate", "0.5"), everyThird, null);
            try {
                Map<Long, Long> seen = new TreeMap<>();
                int sent = 30;
                for (int i = 0; i < sent; i++) {
                    seen.merge((long) Http.get(base.resolve("/helloworld")).status(), 1L, Long::sum);
                }

                var points = telemetry.collectMetrics().stream().filter(m -> m.getName().equals("requests_total"))
                        .findFirst().orElseThrow().getLongSumData().getPoints();
                Map<Long, Long> counted = new TreeMap<>();
                points.forEach(p -> counted.merge(p.getAttributes().get(DemoMetrics.STATUS), p.getValue(), Long::sum));
                assertEquals(seen, counted, "requests_total by status against the statuses the client saw");
                assertEquals(sent, counted.values().stream().mapToLong(Long::longValue).sum(), "every request counted");
                assertEquals(10L, seen.get(503L), "every third request failed by the hook: " + seen);
                points.forEach(p -> assertEquals(p.getAttributes().get(DemoMetrics.STATUS) != 503L,
                        p.getAttributes().get(DemoMetrics.COUNTRY) != null, "a country exactly where the handler ran: " + p));
            } finally {
                service.stop();
            }
        }
    }

    @Test
    void aPublishedManagementRouteIsServedOnTheManagementListenerOnly() throws Exception {
        ManagementRoute route = new ManagementRoute() {
            @Override
            public String path() {
                return "/things";
            }

            @Override
            public Response handle(Request request) {
                return Response.text(request.query().containsKey("bad") ? 400 : 200,
                        request.method() + " " + request.path() + " " + request.query());
            }
        };
        HttpService service = new HttpService();
        URI base = start(service, OpenTelemetry.noop(), Map.of("management.port", "0"), null, route);
        try {
            URI management = URI.create("http://127.0.0.1:" + service.managementPort());
            assertEquals(new Http.Response(200, "GET /things {}"), Http.get(management.resolve("/things")));
            assertEquals(new Http.Response(200, "POST /things/one {rate=0.5}"),
                    Http.send("POST", management.resolve("/things/one?rate=0.5"), Map.of()));
            assertEquals(400, Http.get(management.resolve("/things?bad=1")).status());
            assertEquals(404, Http.get(management.resolve("/thingsmore")).status(), "not under the route's path");
            assertEquals(200, Http.get(management.resolve("/healthz")).status(), "the probes still answer");
            assertEquals(404, Http.get(base.resolve("/things")).status(), "never on the data port");
        } finally {
            service.stop();
        }
    }

    private static URI start(HttpService service, OpenTelemetry openTelemetry, Map<String, String> flags, RequestHook hook,
            ManagementRoute route) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("http.address", "127.0.0.1", "http.port", "0",
                "error.rate", "0", "work.scale", "0"));
        all.putAll(flags);
        TestContext context = new TestContext(all);
        context.publish(OpenTelemetry.class, openTelemetry);
        if (hook != null) {
            context.publish(RequestHook.class, hook);
        }
        if (route != null) {
            context.publish(ManagementRoute.class, route);
        }
        service.start(context);
        return context.lookup(HttpServerAddress.class).orElseThrow().uri();
    }
}
