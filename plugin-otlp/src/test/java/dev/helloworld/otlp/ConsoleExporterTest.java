package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ConsoleExporterTest {

    @Test
    @SuppressWarnings("try") // a scope is held open for its effect, not read
    void printsSpansMetricsAndLogRecordsOnStandardOutput() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        String traceId;
        // As the launcher does: console logging first, then the host.
        System.setOut(capture);
        ConsoleLogging.install(capture, false);
        try (TestHost host = TestHost.start(Map.of("otlp.exporter", "console", "debug", "true"))) {
            OpenTelemetry otel = host.otel();
            Span span = otel.getTracer("test").spanBuilder("console-span").startSpan();
            traceId = span.getSpanContext().getTraceId();
            try (Scope ignored = span.makeCurrent()) {
                otel.getMeter("test").counterBuilder("console.counter").build().add(5);
                otel.getMeter("test").histogramBuilder("console.duration").setUnit("s")
                        .setExplicitBucketBoundariesAdvice(java.util.List.of(0.1, 0.5, 1.0)).build().record(0.3);
                Logger.getLogger(ConsoleLogging.OTEL_LOGGER).info("console log record");
            } finally {
                span.end();
            }
        } finally {
            System.setOut(stdout);
            LogManager.getLogManager().readConfiguration();
        }

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("'console-span' : " + traceId), "the span, in:\n" + out);
        assertTrue(out.contains("console.counter sum 5" + System.lineSeparator()), "the counter, in:\n" + out);
        assertTrue(out.contains("console.duration [s] histogram count=1 sum=0.3 le0.5=1" + System.lineSeparator()),
                "the histogram with its bucket, in:\n" + out);
        assertTrue(out.contains("INFO 'console log record' : " + traceId), "the log record with its trace, in:\n" + out);
        assertTrue(out.contains("[trace_id=" + traceId + " span_id="), "the console line of the otel logger "
                + "carries the trace, in:\n" + out);
    }
}
