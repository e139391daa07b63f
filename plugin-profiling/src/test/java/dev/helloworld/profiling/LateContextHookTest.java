package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Something used {@code Context} before the OTLP plugin built its SDK (a plugin that starts before
 * it, say), so the context storage can no longer be wrapped: the profiling plugin says so in one
 * warning and links nothing, rather than giving spans profile ids that no sample carries. In a JVM
 * of its own (see the pom).
 */
class LateContextHookTest {

    @Test
    void warnsOnceAndLinksNothingWhenTheContextWasInUseFirst() throws Exception {
        Context.current();
        TestHosts.Console console = new TestHosts.Console();
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            OpenTelemetrySdk sdk = SpanProfileLinkTest.sdk(otlp);
            try (ServiceHost host = TestHosts.host(TestHosts.flags(pyroscope.baseUri().toString(), Map.of()))) {
                host.start();
                assertTrue(ProfileLinkingContextStorage.requested(), "the SDK asked for the wrapper");
                assertFalse(ProfileLinkingContextStorage.installed(), "the wrapper came too late");
                assertNull(ActiveProfiler.get(), "no profiler for spans to link to");
                Span request = sdk.getTracer("test").spanBuilder("GET /helloworld").startSpan();
                request.end();
            }
            sdk.close();

            assertEquals(1, console.lines("WARNING: [profiling] spans are not linked to profiles: OpenTelemetry's context"
                    + " was in use before").size(), console.text());
            assertEquals(Optional.empty(), SpanProfileLinkTest.attribute(otlp.awaitSpan("GET /helloworld", Duration.ofSeconds(30)),
                    "pyroscope.profile.id"), "a profile id that no sample would carry");
            assertEquals(List.of(), pyroscope.uploads().stream().flatMap(u -> u.samples().stream())
                    .filter(s -> s.spanId() != 0).toList(), "samples with span ids");
        }
    }
}
