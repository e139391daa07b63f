package dev.helloworld.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** The original's three metric demos: a counter, a histogram and an observable gauge. */
final class DemoMetrics {

    static final AttributeKey<String> COUNTRY = AttributeKey.stringKey("country");
    /** The name and type {@code http.server.request.duration} gives the status, so that the two can be compared. */
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    /**
     * The original's buckets for task durations, in seconds. Given as advice so that they hold
     * with any SDK; a view configured in the SDK still wins.
     */
    static final List<Double> TASK_DURATION_BUCKETS =
            List.of(0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0);

    private final LongCounter requests;
    private final DoubleHistogram taskDuration;

    DemoMetrics(Meter meter) {
        requests = meter.counterBuilder("requests_total")
                .setDescription("Total number of HTTP requests")
                .build();
        taskDuration = meter.histogramBuilder("task_execute_duration_seconds")
                .setDescription("Task execute duration in seconds")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(TASK_DURATION_BUCKETS)
                .build();
        // metrics_gauge_demo: a random value, as in the original; it shows an asynchronous instrument.
        // Never closed: the exporter's last collection comes after this service has stopped (the
        // host stops in reverse order) and should still see it; the SDK's shutdown releases it.
        meter.gaugeBuilder("memory_usage")
                .setDescription("Memory usage")
                .setUnit("%")
                .buildWithCallback(m -> m.record(ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * metrics_counter_demo: one more request, from {@code country}, answered with {@code status}.
     * The original counts by country alone; the status is an attribute added beside it, so that
     * a query of the original's still adds up, and one by status counts every request, the ones an
     * injected incident failed (which have no country) too.
     */
    void countRequest(Optional<String> country, int status) {
        requests.add(1, country.map(c -> Attributes.of(COUNTRY, c, STATUS, (long) status))
                .orElseGet(() -> Attributes.of(STATUS, (long) status)));
    }

    /** metrics_histogram_demo: how long one task took. */
    void recordTaskDuration(double seconds) {
        taskDuration.record(seconds);
    }
}
