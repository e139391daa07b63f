package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.PyroscopeReceiver.Sample;
import dev.helloworld.testkit.PyroscopeReceiver.Upload;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Traces and profiles linked end to end, with the SDK built the way the OTLP plugin builds it:
 * autoconfiguration with {@code helloworld.*} properties, so that {@link ProfileLinkCustomizer} is
 * found by ServiceLoader and nothing in the test wires the processor by hand.
 */
class SpanProfileLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ROOT = "GET /helloworld";

    @Test
    void rootSpansCarryTheProfileIdAndProfileSamplesNameTheirSpans() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            OpenTelemetrySdk sdk = sdk(otlp, Map.of(ProfileLinkCustomizer.PROFILING, "true", ProfileLinkCustomizer.TRACES, "true"));
            Upload linked;
            try (ServiceHost host = TestHosts.host(TestHosts.flags(pyroscope.baseUri().toString(), Map.of()))) {
                host.start();
                Tracer tracer = sdk.getTracer("test");
                long deadline = System.nanoTime() + WAIT.toNanos();
                Optional<Upload> found;
                do {
                    serveOneRequest(tracer);
                    found = pyroscope.uploads().stream().filter(u -> !linkedSamples(u).isEmpty()).findFirst();
                } while (found.isEmpty() && System.nanoTime() < deadline);
                linked = found.orElseThrow(() -> new AssertionError("no upload with span-linked CPU samples within "
                        + WAIT + "; uploads: " + pyroscope.uploads()));
            }
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            sdk.close();

            List<io.opentelemetry.proto.trace.v1.Span> spans = otlp.spans();
            Map<String, io.opentelemetry.proto.trace.v1.Span> roots = spans.stream()
                    .filter(s -> s.getParentSpanId().isEmpty())
                    .collect(Collectors.toMap(s -> hex(s.getSpanId().toByteArray()), s -> s));
            assertFalse(roots.isEmpty(), "exported root spans");
            roots.forEach((id, span) -> assertEquals(Optional.of(id), attribute(span, "pyroscope.profile.id"),
                    "pyroscope.profile.id of root span " + span.getName()));
            spans.stream().filter(s -> !s.getParentSpanId().isEmpty()).forEach(child ->
                    assertEquals(Optional.empty(), attribute(child, "pyroscope.profile.id"), "child " + child.getName()));

            List<Sample> samples = linkedSamples(linked);
            Set<String> sampledSpans = samples.stream().map(Sample::spanIdHex).collect(Collectors.toSet());
            assertTrue(roots.keySet().containsAll(sampledSpans),
                    "samples name span ids " + sampledSpans + " that were all exported as root spans " + roots.keySet());
            Map<Long, String> strings = linked.labelStrings();
            Set<String> sampledNames = samples.stream().map(s -> strings.get(s.spanName())).collect(Collectors.toSet());
            assertEquals(Set.of(ROOT), sampledNames, "span names of linked samples, via the labels part " + strings);
        }
    }

    @Test
    void addsNoProcessorWhenTracesAreOff() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            OpenTelemetrySdk sdk = sdk(otlp, Map.of(ProfileLinkCustomizer.PROFILING, "true", ProfileLinkCustomizer.TRACES, "false"));
            try (ServiceHost host = TestHosts.host(TestHosts.flags(pyroscope.baseUri().toString(), Map.of()))) {
                host.start();
                serveOneRequest(sdk.getTracer("test"));
            }
            sdk.close();

            io.opentelemetry.proto.trace.v1.Span root = otlp.awaitSpan(ROOT, WAIT);
            assertEquals(Optional.empty(), attribute(root, "pyroscope.profile.id"));
            List<Sample> linked = pyroscope.uploads().stream().flatMap(u -> linkedSamples(u).stream()).toList();
            assertEquals(List.of(), linked, "samples linked to spans");
        }
    }

    /** What the HTTP plugin does per request: a server span, and the CPU work in a child span. */
    private static void serveOneRequest(Tracer tracer) {
        Span root = tracer.spanBuilder(ROOT).startSpan();
        try (Scope ignored = root.makeCurrent()) {
            Span work = tracer.spanBuilder("do_something").startSpan();
            try (Scope alsoIgnored = work.makeCurrent()) {
                BusyWork.doSomething(Duration.ofMillis(50));
            } finally {
                work.end();
            }
        } finally {
            root.end();
        }
    }

    private static List<Sample> linkedSamples(Upload upload) {
        return upload.samples().stream()
                .filter(s -> s.eventType().equals("jdk.ExecutionSample") && s.spanId() != 0)
                .toList();
    }

    private static OpenTelemetrySdk sdk(OtlpReceiver otlp, Map<String, String> helloworld) {
        Map<String, String> properties = new HashMap<>(helloworld);
        properties.putAll(Map.of(
                "otel.service.name", "helloworld-test",
                "otel.traces.exporter", "otlp",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", otlp.httpEndpoint().toString(),
                "otel.bsp.schedule.delay", "100"));
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    private static Optional<String> attribute(io.opentelemetry.proto.trace.v1.Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key))
                .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
