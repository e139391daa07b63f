package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The quick start's {@code --exporter console} as a real process: what a newcomer reads. Every
 * record once, every request as a whole tree whose lines name their own spans, metrics within
 * seconds.
 */
class ConsoleModeIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FIRST_METRICS = Duration.ofSeconds(15);
    /** time, level, [source], optional [trace_id=.. span_id=..], text: the console's one format. */
    private static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (INFO|WARNING|ERROR|DEBUG): \\[([^\\]]+)] "
                    + "(?:\\[trace_id=(\\p{XDigit}{32}) span_id=(\\p{XDigit}{16})] )?(.*)");
    /** The querier's call: its root, the OkHttp client span, the server span, the handler and its two demos. */
    private static final List<String> CALL = List.of("caller/query_hello_world", "GET", "GET /helloworld",
            "handle/hello_world", "custom_span_demo/do_something", "span_event_demo/do_something");

    private record Line(String source, String traceId, String spanId, String text) {}

    @Test
    void printsEachRecordOnceEachCallAsATreeOfItsOwnSpansAndMetricsWithinSeconds() throws Exception {
        List<String> out;
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(), "run",
                "--exporter", "console", "--enable-traces", "--enable-metrics", "--enable-logs",
                "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "1s")) {
            launcher.awaitStdout("[otlp] service started", START);
            long started = System.nanoTime();
            launcher.awaitStdout(l -> l.contains(": [metrics] "), FIRST_METRICS, "a metric line within " + FIRST_METRICS);
            Duration firstMetrics = Duration.ofNanos(System.nanoTime() - started);
            int[] roots = {0};
            launcher.awaitStdout(l -> l.contains("] caller/query_hello_world INTERNAL ") && ++roots[0] == 5, START,
                    "five printed calls");

            launcher.interrupt();

            assertEquals(0, launcher.awaitExit(START), "exit code after Ctrl+C\n" + launcher.output());
            out = launcher.stdout();
            System.out.println("first metric line " + firstMetrics.toMillis() + " ms after [otlp] service started");
        }

        List<Line> lines = new ArrayList<>();
        for (String text : out) {
            Matcher m = LINE.matcher(text);
            assertTrue(m.matches(), "every line in the console format (none of the SDK's console exporters): " + text);
            lines.add(new Line(m.group(2), m.group(3), m.group(4), m.group(5)));
        }

        Map<String, List<Line>> spanLines = new LinkedHashMap<>();
        Map<String, List<Line>> records = new HashMap<>();
        for (Line line : lines) {
            if (line.source().equals("traces") && !line.text().trim().startsWith("- event ")) {
                spanLines.computeIfAbsent(line.traceId(), id -> new ArrayList<>()).add(line);
            } else if (line.source().equals("otel")) {
                records.computeIfAbsent(line.traceId(), id -> new ArrayList<>()).add(line);
            }
        }
        List<String> calls = spanLines.entrySet().stream()
                .filter(e -> e.getValue().get(0).text().startsWith("caller/query_hello_world ")).map(Map.Entry::getKey).toList();
        assertTrue(calls.size() >= 5, "at least the five calls awaited: " + calls);

        for (String trace : calls) {
            List<Line> spans = spanLines.get(trace);
            List<String> names = spans.stream().map(l -> l.text().trim().replaceFirst(" (INTERNAL|CLIENT|SERVER) .*", "")).toList();
            assertEquals(CALL, names, "the call's spans as one tree, in order, trace " + trace);
            assertEquals(0, spans.get(0).text().indexOf(CALL.get(0)), "the root is not indented");
            assertEquals(6, spans.get(3).text().indexOf(CALL.get(3)), "handle/hello_world three levels down");
            Set<String> ids = new HashSet<>();
            spans.forEach(l -> ids.add(l.spanId()));
            assertEquals(spans.size(), ids.size(), "each span line names its own span: " + spans);

            List<Line> logged = records.getOrDefault(trace, List.of());
            for (String body : List.of("[query_hello_world] send request", "received request: GET /helloworld")) {
                assertEquals(1, logged.stream().filter(l -> l.text().equals(body)).count(),
                        "'" + body + "' printed once in trace " + trace + ": " + logged);
            }
            assertEquals(1, logged.stream().filter(l -> l.text().startsWith("get country -> ")).count(),
                    "'get country' printed once in trace " + trace + ": " + logged);
            for (Line record : logged) {
                assertTrue(ids.contains(record.spanId()), "a record names a span of its trace's tree: " + record);
            }
        }
    }
}
