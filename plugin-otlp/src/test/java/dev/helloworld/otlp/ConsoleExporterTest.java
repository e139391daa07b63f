package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** {@code --exporter console} through a real host, as the quick start runs it. */
class ConsoleExporterTest {

    @Test
    @SuppressWarnings("try") // scopes are held open for their effect, not read
    void printsEachRecordOnceEachSpanWithItsOwnIdsStatusAndEventsAndHistogramBucketsAsIntervals() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Span root;
        Span child;
        // As the launcher does: console logging first, then the host.
        System.setOut(capture);
        ConsoleLogging.install(capture, false);
        try (TestHost host = TestHost.start(Map.of("otlp.exporter", "console", "debug", "true"))) {
            OpenTelemetry otel = host.otel();
            Tracer tracer = otel.getTracer("test");
            root = tracer.spanBuilder("console-root").startSpan();
            try (Scope inRoot = root.makeCurrent()) {
                otel.getMeter("test").counterBuilder("console.counter").build().add(5);
                otel.getMeter("test").histogramBuilder("console.duration").setUnit("s")
                        .setExplicitBucketBoundariesAdvice(java.util.List.of(0.1, 0.5, 1.0)).build().record(0.3);
                Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("console log record");
                child = tracer.spanBuilder("console-child").startSpan();
                child.addEvent("Before do_something", Attributes.of(AttributeKey.longKey("helloworld.kind"), 2L));
                child.setStatus(StatusCode.ERROR, "user not found");
                // Ended while the root is current, as the SDK's console exporter got it wrong.
                child.end();
            } finally {
                root.end();
            }
        } finally {
            System.setOut(stdout);
            LogManager.getLogManager().readConfiguration();
        }

        String out = buffer.toString(StandardCharsets.UTF_8);
        List<String> lines = out.lines().toList();
        String traceId = root.getSpanContext().getTraceId();
        String rootIds = "[trace_id=" + traceId + " span_id=" + root.getSpanContext().getSpanId() + "] ";
        String childIds = "[trace_id=" + traceId + " span_id=" + child.getSpanContext().getSpanId() + "] ";

        assertEquals(1, lines.stream().filter(l -> l.contains("console log record")).count(),
                "the log record printed once, in:\n" + out);
        assertTrue(out.contains("INFO: [otel] " + rootIds + "console log record"), "the record with its span, in:\n" + out);

        int rootLine = indexOf(lines, "INFO: [traces] " + rootIds + "console-root INTERNAL ");
        int childLine = indexOf(lines, "INFO: [traces] " + childIds + "  console-child INTERNAL ");
        assertTrue(rootLine >= 0 && childLine == rootLine + 1,
                "the root's line, then its child's indented under it, each with its own ids, in:\n" + out);
        assertTrue(lines.get(childLine).endsWith(" ERROR: user not found"), "the child's status: " + lines.get(childLine));
        assertTrue(lines.get(rootLine).contains(" UNSET"), "the root's status: " + lines.get(rootLine));
        assertTrue(lines.get(childLine + 1).matches(".*\\Q" + childIds
                + "    - event Before do_something {helloworld.kind=2} at +\\E\\d+\\.\\d ms"),
                "the child's event under it: " + lines.get(childLine + 1));

        assertTrue(out.contains("INFO: [metrics] console.counter sum 5" + System.lineSeparator()), "the counter, in:\n" + out);
        assertTrue(out.contains("console.duration [s] histogram count=1 sum=0.3 buckets (0.1,0.5]=1" + System.lineSeparator()),
                "the histogram with its one bucket as an interval, in:\n" + out);
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        return -1;
    }
}
