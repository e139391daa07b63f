package dev.helloworld.otlp.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a trace is printed, and in what order: driven by a clock of our own, without the ticker. */
class ConsoleTraceExporterTest {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final Logger TRACES = Logger.getLogger("helloworld.traces");

    private final AtomicLong now = new AtomicLong();
    private final List<String> printed = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (printed) {
                printed.add(record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        TRACES.addHandler(capture);
        TRACES.setUseParentHandlers(false);
        TRACES.setLevel(Level.ALL);
    }

    @AfterEach
    void release() {
        TRACES.removeHandler(capture);
        TRACES.setUseParentHandlers(true);
    }

    @Test
    void aTraceIsPrintedAsATreeOnceItsRootHasEndedAndNothingElseCameForAMoment() {
        ConsoleTraceExporter exporter = new ConsoleTraceExporter(now::get, false, BATCH_DELAY);
        // As the querier's call ends: the server span first, the handler's span just after it,
        // then the client span and the caller's root.
        SpanData root = span("a000000000000001", null, false, "caller/query_hello_world", 0);
        SpanData client = span("a000000000000002", "a000000000000001", false, "GET", 1);
        SpanData server = span("a000000000000003", "a000000000000002", true, "GET /helloworld", 2);
        SpanData handler = span("a000000000000004", "a000000000000003", false, "handle/hello_world", 3);
        exporter.export(List.of(server));
        exporter.export(List.of(handler));
        exporter.export(List.of(client));
        exporter.printDue();
        assertEquals(List.of(), printed, "nothing while spans keep coming");

        exporter.export(List.of(root));
        now.addAndGet(ConsoleTraceExporter.QUIET.toNanos() - 1);
        exporter.printDue();
        assertEquals(List.of(), printed, "nothing before the quiet time has passed");

        now.addAndGet(1);
        exporter.printDue();
        assertEquals(4, printed.size(), "the whole trace at once: " + printed);
        assertTrue(printed.get(0).startsWith("caller/query_hello_world INTERNAL "), printed.get(0));
        assertTrue(printed.get(1).startsWith("  GET CLIENT "), printed.get(1));
        assertTrue(printed.get(2).startsWith("    GET /helloworld SERVER "), printed.get(2));
        assertTrue(printed.get(3).startsWith("      handle/hello_world INTERNAL "), printed.get(3));

        exporter.printDue();
        assertEquals(4, printed.size(), "a trace is printed once");
    }

    @Test
    void aCallWhoseCallerComesABatchLaterIsStillPrintedAsOneTree() {
        ConsoleTraceExporter exporter = new ConsoleTraceExporter(now::get, false, BATCH_DELAY);
        // The batch processor took the server side of the querier's call just before the
        // client span and the caller's root ended: they come with the next batch.
        exporter.export(List.of(span("f000000000000003", "f000000000000002", true, "GET /helloworld", 2),
                span("f000000000000004", "f000000000000003", false, "handle/hello_world", 3)));
        now.addAndGet(BATCH_DELAY.toNanos());
        exporter.printDue();
        assertEquals(List.of(), printed, "a server span called from elsewhere waits for a batch more");
        exporter.export(List.of(span("f000000000000002", "f000000000000001", false, "GET", 1),
                span("f000000000000001", null, false, "caller/query_hello_world", 0)));
        now.addAndGet(ConsoleTraceExporter.QUIET.toNanos());
        exporter.printDue();
        assertEquals(4, printed.size(), "the whole call as one tree: " + printed);
        assertTrue(printed.get(0).startsWith("caller/query_hello_world INTERNAL "), printed.get(0));
    }

    @Test
    void aServerSpanCalledFromOutsideIsPrintedAQuietTimeAndABatchDelayAfterItEnded() {
        ConsoleTraceExporter exporter = new ConsoleTraceExporter(now::get, false, BATCH_DELAY);
        exporter.export(List.of(span("9000000000000003", "9000000000000002", true, "GET /helloworld", 2)));
        now.addAndGet(ConsoleTraceExporter.QUIET.plus(BATCH_DELAY).toNanos() - 1);
        exporter.printDue();
        assertEquals(List.of(), printed);
        now.addAndGet(1);
        exporter.printDue();
        assertEquals(1, printed.size(), "printed once its caller can no longer come: " + printed);
    }

    @Test
    void aTraceWhoseRootNeverEndsHereIsPrintedAfterTheLongestWaitAndFlushPrintsEverything() {
        ConsoleTraceExporter exporter = new ConsoleTraceExporter(now::get, false, BATCH_DELAY);
        exporter.export(List.of(span("b000000000000002", "b000000000000001", false, "orphan", 0)));
        now.addAndGet(ConsoleTraceExporter.LONGEST.toNanos() - 1);
        exporter.printDue();
        assertEquals(List.of(), printed, "still waiting for its root");
        now.addAndGet(1);
        exporter.printDue();
        assertEquals(1, printed.size(), "printed after the longest wait: " + printed);

        exporter.export(List.of(span("c000000000000002", "c000000000000001", false, "waiting", 0)));
        exporter.flush();
        assertEquals(2, printed.size(), "a flush prints what waits: " + printed);
    }

    @Test
    void pastTheMostWaitingSpansTheOldestTraceIsPrintedAsItIs() {
        ConsoleTraceExporter exporter = new ConsoleTraceExporter(now::get, false, BATCH_DELAY);
        for (int i = 0; i < ConsoleTraceExporter.MAX_SPANS; i++) {
            exporter.export(List.of(span(String.format("%016x", i + 1L), "d000000000000000", false, "s" + i, i)));
        }
        assertEquals(List.of(), printed);
        exporter.export(List.of(span("e000000000000001", null, false, "another trace", 0, "1af7651916cd43dd8448eb211c80319c")));
        assertEquals(ConsoleTraceExporter.MAX_SPANS, printed.size(), "the oldest trace, whole, and only it");
    }

    private static final Duration BATCH_DELAY = Duration.ofSeconds(5);

    private static SpanData span(String id, String parent, boolean remoteParent, String name, long startMillis) {
        return span(id, parent, remoteParent, name, startMillis, TRACE);
    }

    private static SpanData span(String id, String parent, boolean remoteParent, String name, long startMillis, String trace) {
        SpanContext parentContext = parent == null ? SpanContext.getInvalid()
                : remoteParent ? SpanContext.createFromRemoteParent(trace, parent, TraceFlags.getSampled(), TraceState.getDefault())
                : SpanContext.create(trace, parent, TraceFlags.getSampled(), TraceState.getDefault());
        return TestSpanData.builder()
                .setSpanContext(SpanContext.create(trace, id, TraceFlags.getSampled(), TraceState.getDefault()))
                .setParentSpanContext(parentContext)
                .setName(name)
                .setKind(name.startsWith("GET /") ? SpanKind.SERVER : name.equals("GET") ? SpanKind.CLIENT : SpanKind.INTERNAL)
                .setStartEpochNanos(startMillis * 1_000_000)
                .setEndEpochNanos(startMillis * 1_000_000 + 1_000_000)
                .setStatus(StatusData.unset())
                .setHasEnded(true)
                .build();
    }
}
