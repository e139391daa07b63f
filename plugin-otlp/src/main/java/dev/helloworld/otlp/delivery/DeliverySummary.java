package dev.helloworld.otlp.delivery;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.config.Keys;
import dev.helloworld.otlp.sdk.TelemetrySdk;
import dev.helloworld.otlp.sdk.TraceRateLimit;
import java.util.ArrayList;
import java.util.List;

/**
 * The line logged at stop: per signal that is on, what was recorded and what became of it, and
 * whether anything recorded was lost, which makes the process exit 1.
 *
 * @param text the line: {@code traces: ...; logs: ...; metrics: ...}
 * @param lost what was recorded and not delivered, in words ({@code 40 spans, the last metrics}),
 *             empty when nothing was
 */
public record DeliverySummary(String text, String lost) {

    /** Taken once the SDK has shut down (or the time to stop is up): whatever is left is undeliverable. */
    public static DeliverySummary of(TelemetrySdk telemetry, Config config) {
        if (config.get(Keys.EXPORTER) == ExporterType.NONE) {
            return new DeliverySummary("nothing exported (exporter none)", "");
        }
        List<String> parts = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        if (config.get(Keys.ENABLE_TRACES)) {
            parts.add("traces: " + telemetry.spans().summary() + ", new traces not recorded: "
                    + telemetry.rateLimit().map(TraceRateLimit::refused).orElse(0L) + " (rate limit), "
                    + telemetry.guard().map(BacklogGuard::refused).orElse(0L) + " (exporter behind)");
            lostCount(lost, telemetry.spans().discarded(), "spans");
        }
        if (config.get(Keys.ENABLE_LOGS)) {
            parts.add("logs: " + telemetry.logs().summary());
            lostCount(lost, telemetry.logs().discarded(), "log records");
        }
        if (config.get(Keys.ENABLE_METRICS)) {
            parts.add("metrics: " + telemetry.metrics());
            if (telemetry.metrics().lastUndelivered()) {
                lost.add("the last metrics");
            }
        }
        return new DeliverySummary(parts.isEmpty() ? "no signal on" : String.join("; ", parts), String.join(", ", lost));
    }

    private static void lostCount(List<String> lost, long n, String items) {
        if (n > 0) {
            lost.add(n + " " + items);
        }
    }
}
