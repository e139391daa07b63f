package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project's own instrumentation scopes carry the version of the build, and every span with
 * an ERROR status says the type of its error, as the semantic conventions ask.
 */
class ScopesAndErrorsIT {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void ourScopesCarryTheBuildVersionAndEveryErrorSpanItsErrorType() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                        "--enable-traces", "--enable-logs", "--error-rate", "1", "--query-interval", "200ms",
                        "--http-port", "0", "--http-address", "127.0.0.1")) {
            collector.awaitSpans(spans -> spans.stream().filter(s -> s.getName().equals("handle/hello_world")).count() >= 3,
                    START);
            collector.awaitLogRecords(records -> !records.isEmpty(), START);
            process.terminate();
            assertEquals(0, process.awaitExit(START), process.output());

            String version = collector.resources().stream()
                    .map(r -> OtlpReceiver.attribute(r, "service.version").orElse("")).findFirst().orElseThrow();
            Map<String, String> versions = Stream.concat(
                    collector.traceRequests().stream().flatMap(r -> r.getResourceSpansList().stream())
                            .flatMap(r -> r.getScopeSpansList().stream()).map(s -> s.getScope()),
                    collector.logsRequests().stream().flatMap(r -> r.getResourceLogsList().stream())
                            .flatMap(r -> r.getScopeLogsList().stream()).map(s -> s.getScope()))
                    .collect(Collectors.toMap(InstrumentationScope::getName, InstrumentationScope::getVersion, (a, b) -> a));
            assertFalse(version.isEmpty() || version.equals("unknown"), "the build's version: " + version);
            for (String ours : List.of("dev.helloworld.http", "dev.helloworld.querier", "otel")) {
                assertEquals(version, versions.get(ours), "version of scope " + ours + " in " + versions);
            }

            List<Span> failed = collector.spans().stream()
                    .filter(s -> s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR).toList();
            assertTrue(failed.stream().anyMatch(s -> s.getName().equals("handle/hello_world")), "--error-rate 1 fails each");
            for (Span span : failed) {
                assertTrue(OtlpReceiver.attribute(span.getAttributesList(), "error.type").filter(t -> !t.isEmpty()).isPresent(),
                        "error.type on the failed span " + span.getName());
            }
        }
    }
}
