package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Profiling on, traces off in the OTLP plugin's SDK: neither the span processor nor the context
 * storage wrapper is installed, so spans that someone else records are not linked. In a JVM of its
 * own (see the pom), since whether the storage is wrapped is decided once per process.
 */
@SuppressWarnings("try")
class ProfilesWithoutTracesTest {

    @Test
    void linksNothingAndWrapsNothingWhenTracesAreOff() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of(ProfileLinkCustomizer.PROFILING, "true", ProfileLinkCustomizer.TRACES, "false",
                            "otel.traces.exporter", "otlp", "otel.metrics.exporter", "none", "otel.logs.exporter", "none",
                            "otel.exporter.otlp.protocol", "http/protobuf",
                            "otel.exporter.otlp.endpoint", otlp.httpEndpoint().toString(), "otel.bsp.schedule.delay", "100"))
                    .disableShutdownHook().build().getOpenTelemetrySdk();
            try (ServiceHost host = TestHosts.host(TestHosts.flags(pyroscope.baseUri().toString(), Map.of()))) {
                host.start();
                Tracer tracer = sdk.getTracer("test");
                Span root = tracer.spanBuilder("GET /helloworld").startSpan();
                try (Scope ignored = root.makeCurrent()) {
                    BusyWork.doSomething(Duration.ofMillis(300));
                } finally {
                    root.end();
                }
            }
            sdk.close();

            assertFalse(ProfileLinkingContextStorage.requested(), "context storage wrapper requested");
            assertEquals(Optional.empty(), SpanProfileLinkTest.attribute(otlp.awaitSpan("GET /helloworld", Duration.ofSeconds(30)),
                    "pyroscope.profile.id"));
            List<String> linked = pyroscope.uploads().stream().flatMap(u -> u.samples().stream())
                    .filter(s -> s.spanId() != 0).map(s -> s.spanIdHex()).toList();
            assertEquals(List.of(), linked, "span ids on samples");
        }
    }
}
