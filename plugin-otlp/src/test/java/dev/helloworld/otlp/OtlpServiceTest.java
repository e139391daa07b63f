package dev.helloworld.otlp;

import static dev.helloworld.testkit.OtlpReceiver.attribute;
import static dev.helloworld.testkit.OtlpReceiver.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private Map<String, String> allSignalsTo(String transport) {
        Map<String, String> flags = new HashMap<>();
        flags.put("otlp.exporter", transport);
        flags.put("otlp.endpoint", receiver.endpoint(transport).toString());
        flags.put("enable.traces", "true");
        flags.put("enable.metrics", "true");
        flags.put("enable.logs", "true");
        flags.put("token", "secret-token");
        flags.put("service.name", "shop");
        return flags;
    }

    /**
     * A signal that is off is the API's no-op in what the other plugins get, although the SDK
     * behind keeps every provider: nothing of it is built or recorded on a request.
     */
    @ParameterizedTest
    @ValueSource(strings = {"traces", "metrics", "logs"})
    void aSignalThatIsOffIsTheNoopForThePlugins(String off) throws Exception {
        Map<String, String> flags = allSignalsTo("http");
        flags.put("enable." + off, "false");
        try (TestHost host = TestHost.start(flags)) {
            OpenTelemetry otel = host.otel();
            Span span = otel.getTracer("test").spanBuilder("hello").startSpan();
            boolean recording = span.isRecording();
            span.end();

            assertEquals(!off.equals("traces"), recording, "a span recorded with " + off + " off");
            assertEquals(off.equals("metrics"), otel.getMeterProvider() == MeterProvider.noop(),
                    "the no-op meter provider with " + off + " off");
            assertEquals(off.equals("logs"), otel.getLogsBridge() == LoggerProvider.noop(),
                    "the no-op logs bridge with " + off + " off");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void sendsEverySignalWithTheResourceAndTheTokenHeader(String transport) throws Exception {
        try (TestHost host = TestHost.start(allSignalsTo(transport))) {
            OpenTelemetry otel = host.otel();
            otel.getTracer("test").spanBuilder("hello").startSpan().end();
            otel.getMeter("test").counterBuilder("hello.count").build().add(1);
            Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("hello log");
        }

        receiver.awaitSpan("hello", WAIT);
        receiver.awaitMetric("hello.count", WAIT);
        receiver.awaitLogRecord("hello log"::equals, WAIT);
        assertEquals(Set.of("traces", "metrics", "logs"),
                receiver.requests().stream().map(OtlpReceiver.Received::signal).collect(Collectors.toSet()));
        for (OtlpReceiver.Received request : receiver.requests()) {
            assertEquals(transport, request.transport());
            assertEquals("secret-token", request.headers().get("x-bk-token"),
                    "x-bk-token of a " + request.signal() + " request with headers " + request.headers());
        }
        for (Resource resource : receiver.resources()) {
            assertEquals("shop", attribute(resource, "service.name").orElse("(none)"), resource.toString());
            assertEquals("secret-token", attribute(resource, "bk.data.token").orElse("(none)"), resource.toString());
            assertEquals("java", attribute(resource, "telemetry.sdk.language").orElse("(none)"), resource.toString());
            for (String detected : List.of("os.type", "host.name", "telemetry.sdk.version", "process.pid",
                    "process.runtime.name")) {
                assertTrue(attribute(resource, detected).filter(v -> !v.isEmpty()).isPresent(),
                        "resource attribute " + detected + " in " + resource);
            }
        }
    }

    /** Issue 33: one process, several services on a service map, through one pipeline. */
    @Test
    void aLogicalServiceExportsUnderItsOwnNameWithTheProcesssTokenAndIsFlushedAtStop() throws Exception {
        try (TestHost host = TestHost.start(allSignalsTo("http"))) {
            OpenTelemetry orders = host.serviceTelemetry().forService("shop-orders");
            assertSame(orders, host.serviceTelemetry().forService("shop-orders"), "one SDK per logical service");
            orders.getTracer("test").spanBuilder("orders work").startSpan().end();
            host.otel().getTracer("test").spanBuilder("process work").startSpan().end();
        }

        // No wait before the stop: what was recorded arrived because the stop flushed it.
        Map<String, String> serviceOfSpan = new HashMap<>();
        receiver.traceRequests().forEach(request -> request.getResourceSpansList().forEach(spans -> spans
                .getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> serviceOfSpan.put(
                        span.getName(), attribute(spans.getResource(), "service.name").orElse("(none)"))))));
        assertEquals(Map.of("orders work", "shop-orders", "process work", "shop"), serviceOfSpan);
        assertTrue(receiver.requests().stream().allMatch(r -> "secret-token".equals(r.headers().get("x-bk-token"))),
                "every export, the logical service's too, carries x-bk-token");
        Set<String> versions = receiver.resources().stream()
                .map(r -> attribute(r, "bk.data.token").orElse("(none)") + " " + attribute(r, "service.version").orElse(""))
                .collect(Collectors.toSet());
        assertEquals(1, versions.size(), "one token and version for every resource: " + versions);
    }

    @Test
    void onlyTheEnabledSignalsReachTheCollector() throws Exception {
        Map<String, String> tracesOnly = allSignalsTo("grpc");
        tracesOnly.put("enable.metrics", "false");
        tracesOnly.put("enable.logs", "false");
        try (TestHost host = TestHost.start(tracesOnly)) {
            host.otel().getTracer("test").spanBuilder("traced").startSpan().end();
            host.otel().getMeter("test").counterBuilder("not.exported").build().add(1);
            Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("not exported");
        }

        receiver.awaitSpan("traced", WAIT);
        assertEquals(Set.of("traces"),
                receiver.requests().stream().map(OtlpReceiver.Received::signal).collect(Collectors.toSet()));
    }

    @Test
    void exportsASpanWithItsAttributesAndEvents() throws Exception {
        try (TestHost host = TestHost.start(allSignalsTo("grpc"))) {
            Span span = host.otel().getTracer("test").spanBuilder("checkout")
                    .setAttribute("order.id", 42L).setAttribute("customer", "ada").startSpan();
            span.addEvent("payment accepted", Attributes.of(AttributeKey.stringKey("method"), "card"));
            span.end();
        }

        io.opentelemetry.proto.trace.v1.Span span = receiver.awaitSpan("checkout", WAIT);
        assertEquals("42", attribute(span.getAttributesList(), "order.id").orElse("(none)"), span.toString());
        assertEquals("ada", attribute(span.getAttributesList(), "customer").orElse("(none)"), span.toString());
        assertEquals(1, span.getEventsCount(), span.toString());
        assertEquals("payment accepted", span.getEvents(0).getName());
        assertEquals("card", attribute(span.getEvents(0).getAttributesList(), "method").orElse("(none)"));
    }

    private static final List<Double> ADVISED = List.of(0.005, 0.01, 0.1, 1.0, 10.0);
    /** The SDK's explicit buckets for a histogram that gives no advice. */
    private static final List<Double> SDK_DEFAULT_BUCKETS = List.of(0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0,
            500.0, 750.0, 1000.0, 2500.0, 5000.0, 7500.0, 10000.0);

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void exportsACounterAndHistogramsWithTheirOwnAdvisedBucketsAndAnExemplar() throws Exception {
        String traceId;
        try (TestHost host = TestHost.start(allSignalsTo("grpc"))) {
            OpenTelemetry otel = host.otel();
            Span span = otel.getTracer("test").spanBuilder("timed").startSpan();
            traceId = span.getSpanContext().getTraceId();
            try (Scope ignored = span.makeCurrent()) {
                otel.getMeter("test").counterBuilder("requests").build().add(3);
                otel.getMeter("test").histogramBuilder("request.duration").setUnit("s")
                        .setExplicitBucketBoundariesAdvice(ADVISED).build().record(0.3);
                otel.getMeter("test").histogramBuilder("unadvised.duration").setUnit("s").build().record(0.3);
            } finally {
                span.end();
            }
        }

        Metric counter = receiver.awaitMetric("requests", WAIT);
        assertEquals(3, counter.getSum().getDataPoints(0).getAsInt(), counter.toString());
        Metric histogram = receiver.awaitMetric("request.duration", WAIT);
        HistogramDataPoint point = histogram.getHistogram().getDataPoints(0);
        assertEquals(ADVISED, point.getExplicitBoundsList(), "no view replaces an instrument's advice: " + histogram);
        Metric unadvised = receiver.awaitMetric("unadvised.duration", WAIT);
        assertEquals(SDK_DEFAULT_BUCKETS, unadvised.getHistogram().getDataPoints(0).getExplicitBoundsList(),
                "no view gives a histogram in seconds buckets it did not ask for: " + unadvised);
        assertEquals(1, point.getCount());
        assertEquals(1, point.getExemplarsCount(), "one exemplar in " + point);
        assertEquals(traceId, hex(point.getExemplars(0).getTraceId()), "the exemplar's trace id");
        assertEquals(0.3, point.getExemplars(0).getAsDouble());
    }

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void bridgesTheOtelLoggerWithSeverityExceptionAndTheTraceOfItsSpan() throws Exception {
        Logger otelLogger = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
        String traceId;
        String spanId;
        try (TestHost host = TestHost.start(allSignalsTo("http"))) {
            Span span = host.otel().getTracer("test").spanBuilder("logging").startSpan();
            traceId = span.getSpanContext().getTraceId();
            spanId = span.getSpanContext().getSpanId();
            try (Scope ignored = span.makeCurrent()) {
                otelLogger.log(Level.WARNING, "order {0} failed", new Object[] {7});
            } finally {
                span.end();
            }
            otelLogger.log(Level.SEVERE, "outside any span", new IllegalStateException("broken pipe"));
            Logger.getLogger("not.otel").info("not exported");
        }

        LogRecord inside = receiver.awaitLogRecord("order 7 failed"::equals, WAIT);
        assertEquals(traceId, hex(inside.getTraceId()), "trace id of " + inside);
        assertEquals(spanId, hex(inside.getSpanId()), "span id of " + inside);
        assertEquals("WARN", inside.getSeverityNumber().name().replace("SEVERITY_NUMBER_", ""));
        assertEquals("WARN", inside.getSeverityText(), "the log data model's name of the severity");
        LogRecord outside = receiver.awaitLogRecord("outside any span"::equals, WAIT);
        assertEquals("ERROR", outside.getSeverityText(), "java.util.logging's SEVERE as the data model names it");
        assertTrue(outside.getTraceId().isEmpty(), "no trace id outside a span: " + outside);
        assertEquals("java.lang.IllegalStateException",
                attribute(outside.getAttributesList(), "exception.type").orElse("(none)"), outside.toString());
        assertEquals("broken pipe", attribute(outside.getAttributesList(), "exception.message").orElse("(none)"));
        assertEquals(List.of("order 7 failed", "outside any span"),
                receiver.logRecords().stream().map(r -> OtlpReceiver.text(r.getBody())).toList());
    }

    @Test
    void twoHostsInOneJvmKeepTheirTelemetryApart() throws Exception {
        try (OtlpReceiver other = OtlpReceiver.start()) {
            Map<String, String> toOther = new HashMap<>(allSignalsTo("grpc"));
            toOther.put("otlp.endpoint", other.grpcEndpoint().toString());
            toOther.put("service.name", "other");
            TestHost first = TestHost.start(allSignalsTo("grpc"));
            TestHost second = TestHost.start(toOther);
            first.otel().getTracer("test").spanBuilder("from first").startSpan().end();
            second.otel().getTracer("test").spanBuilder("from second").startSpan().end();
            first.stop();
            second.otel().getTracer("test").spanBuilder("from second after the first stopped").startSpan().end();
            second.stop();

            assertEquals(List.of("from first"), receiver.spans().stream().map(s -> s.getName()).toList());
            assertEquals(Set.of("from second", "from second after the first stopped"),
                    other.spans().stream().map(s -> s.getName()).collect(Collectors.toSet()));
            assertEquals(Set.of("shop"), serviceNames(receiver));
            assertEquals(Set.of("other"), serviceNames(other));
        }
    }

    private static Set<String> serviceNames(OtlpReceiver receiver) {
        return receiver.resources().stream().map(r -> attribute(r, "service.name").orElse("(none)"))
                .collect(Collectors.toSet());
    }

    @Test
    void standardOtelSettingsThatHelloworldDoesNotHaveStillApply() throws Exception {
        Map<String, String> settings = Map.of("otel.exporter.otlp.compression", "gzip",
                "otel.bsp.schedule.delay", "50", "otel.resource.attributes", "service.namespace=test");
        settings.forEach(System::setProperty);
        try (TestHost host = TestHost.start(allSignalsTo("http"))) {
            host.otel().getTracer("test").spanBuilder("soon").startSpan().end();
            // Well before the default schedule delay of 5 s, and before stop flushes.
            receiver.awaitSpan("soon", Duration.ofSeconds(3));
        } finally {
            settings.keySet().forEach(System::clearProperty);
        }

        OtlpReceiver.Received request = receiver.awaitRequest(r -> r.signal().equals("traces"), WAIT);
        assertEquals("gzip", request.headers().get("content-encoding"), "headers " + request.headers());
        assertEquals("test", attribute(receiver.resources().get(0), "service.namespace").orElse("(none)"));
    }

    @Test
    void theResourceHasTheIdentityFromSystemPropertiesAndNoCommandLine() throws Exception {
        Map<String, String> properties = Map.of("otel.resource.attributes",
                "service.version=9.9.9,deployment.environment.name=prod,bk.data.token=from-property",
                "otel.service.name", "shop");
        properties.forEach(System::setProperty);
        Map<String, String> flags = new HashMap<>(allSignalsTo("http"));
        flags.put("deployment.environment", "prod");
        flags.remove("token");
        try (TestHost host = TestHost.start(flags, Map.of(), properties)) {
            host.otel().getTracer("test").spanBuilder("described").startSpan().end();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }

        receiver.awaitSpan("described", WAIT);
        Resource resource = receiver.resources().get(0);
        assertEquals("prod", attribute(resource, "deployment.environment.name").orElse("(none)"), "option and property agree");
        assertEquals("9.9.9", attribute(resource, "service.version").orElse("(none)"));
        assertEquals("shop", attribute(resource, "service.name").orElse("(none)"));
        assertEquals("from-property", attribute(resource, "bk.data.token").orElse("(none)"));
        assertEquals("from-property", receiver.requests().get(0).headers().get("x-bk-token"), "the header says the same");
        Set<String> keys = resource.getAttributesList().stream().map(a -> a.getKey()).collect(Collectors.toSet());
        assertTrue(keys.contains("process.pid"), "the process detector ran: " + keys);
        assertTrue(!keys.contains("process.command_args") && !keys.contains("process.command_line"),
                "no command line in the resource: " + keys);
    }

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void theFirstHostOfTheJvmBecomesTheGlobalOpenTelemetryAndLaterOnesLeaveIt() throws Exception {
        GlobalOpenTelemetry.resetForTest();
        try (OtlpReceiver other = OtlpReceiver.start()) {
            Map<String, String> toOther = new HashMap<>(allSignalsTo("grpc"));
            toOther.put("otlp.endpoint", other.grpcEndpoint().toString());
            try (TestHost first = TestHost.start(allSignalsTo("grpc")); TestHost second = TestHost.start(toOther)) {
                GlobalOpenTelemetry.getTracer("library").spanBuilder("from a library").startSpan().end();
            }

            receiver.awaitSpan("from a library", WAIT);
            assertEquals(List.of(), other.spans(), "the second host's collector got nothing");
        } finally {
            GlobalOpenTelemetry.resetForTest();
        }
    }
}
