package dev.helloworld.launcher;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * plugin-otlp's summary at stop, read from the service's output:
 * {@code traces: 120 spans recorded, 100 exported, 20 discarded (refused 20), new traces not
 * recorded: 0 (rate limit), 5 (exporter behind); logs: ...; metrics: 12 exports, 0 failed}.
 * Each part is present only for a signal that is on.
 */
record StopSummary(String line, Optional<Items> spans, Optional<Items> logs, long overRateLimit, long exporterBehind,
        Optional<long[]> metricExports) {

    /** Recorded, exported and discarded items of one signal, with the discards by cause. */
    record Items(long recorded, long exported, long discarded, Map<String, Long> causes) {
        /** The identity the summary promises: recorded = exported + discarded. */
        boolean balanced() {
            return recorded == exported + discarded
                    && discarded == causes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final String ITEMS = "(\\d+) %s recorded, (\\d+) exported, (\\d+) discarded(?: \\(([^)]*)\\))?";
    private static final Pattern TRACES = Pattern.compile("traces: " + ITEMS.formatted("spans")
            + ", new traces not recorded: (\\d+) \\(rate limit\\), (\\d+) \\(exporter behind\\)");
    private static final Pattern LOGS = Pattern.compile("logs: " + ITEMS.formatted("log records"));
    private static final Pattern METRICS = Pattern.compile("metrics: (\\d+) exports, (\\d+) failed");

    /** The summary in {@code launcher}'s output; fails the test when there is none. */
    static StopSummary of(LauncherProcess launcher) {
        for (String line : launcher.stdout()) {
            if (line.contains("[otlp]") && (line.contains("traces: ") || line.contains("logs: ") || line.contains("metrics: "))) {
                return parse(line);
            }
        }
        throw new AssertionError("no stop summary from otlp\n" + launcher.output());
    }

    static StopSummary parse(String line) {
        Matcher t = TRACES.matcher(line);
        Matcher l = LOGS.matcher(line);
        Matcher m = METRICS.matcher(line);
        boolean traces = t.find();
        return new StopSummary(line, traces ? Optional.of(items(t)) : Optional.empty(),
                l.find() ? Optional.of(items(l)) : Optional.empty(),
                traces ? Long.parseLong(t.group(5)) : 0, traces ? Long.parseLong(t.group(6)) : 0,
                m.find() ? Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))}) : Optional.empty());
    }

    private static Items items(Matcher m) {
        Map<String, Long> causes = new java.util.TreeMap<>();
        if (m.group(4) != null) {
            for (String cause : m.group(4).split(", ")) {
                int space = cause.lastIndexOf(' ');
                causes.put(cause.substring(0, space), Long.parseLong(cause.substring(space + 1)));
            }
        }
        return new Items(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), causes);
    }

    Items spansOrFail() {
        return spans.orElseThrow(() -> new AssertionError("no traces part in the summary: " + line));
    }

    Items logsOrFail() {
        return logs.orElseThrow(() -> new AssertionError("no logs part in the summary: " + line));
    }
}
