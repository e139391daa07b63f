package dev.helloworld.otlp.delivery;

import dev.helloworld.core.config.Config;
import dev.helloworld.otlp.Destination;
import dev.helloworld.otlp.SignalExporters;
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
        SignalExporters exporters = telemetry.exporters();
        if (exporters.sdkDisabled()) {
            return new DeliverySummary("nothing recorded (OTEL_SDK_DISABLED)", "");
        }
        List<String> parts = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        if (exporters.exported("traces")) {
            parts.add("traces: " + telemetry.spans().summary() + ", new traces not recorded: "
                    + telemetry.rateLimit().map(TraceRateLimit::refused).orElse(0L) + " (rate limit), "
                    + telemetry.guard().map(BacklogGuard::refused).orElse(0L) + " (exporter behind)");
            lostCount(lost, telemetry.spans().discarded(), "spans");
        }
        if (exporters.exported("logs")) {
            parts.add("logs: " + telemetry.logs().summary());
            lostCount(lost, telemetry.logs().discarded(), "log records");
        }
        if (exporters.to("metrics", Destination.PROMETHEUS)) {
            parts.add("metrics: served to Prometheus, pulled by its scrapes");
        }
        if (exporters.exported("metrics")) {
            parts.add("metrics: " + telemetry.metrics());
            telemetry.metrics().deltas().ifPresent(deltas -> lostCount(lost, deltas.discarded(), "delta metrics"));
            if (telemetry.metrics().lastUndelivered()) {
                lost.add("the last metrics");
            }
        }
        if (parts.isEmpty()) {
            return new DeliverySummary(exporters.signalsTo(Destination.NONE).isEmpty() ? "no signal on"
                    : "nothing exported (exporter none)", "");
        }
        return new DeliverySummary(String.join("; ", parts), String.join(", ", lost));
    }

    private static void lostCount(List<String> lost, long n, String items) {
        if (n > 0) {
            lost.add(n + " " + items);
        }
    }
}
