package dev.helloworld.otlp.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metric lines of the console: what a histogram's counts mean must be readable from them. */
class ConsoleMetricExporterTest {

    @Test
    void aHistogramsBucketsAreTheIntervalsTheyCountIncludingBothOpenEnds() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            DoubleHistogram histogram = meters.get("test").histogramBuilder("task.duration").setUnit("s")
                    .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.05, 1.0, 5.0)).build();
            for (double seconds : new double[] {0.001, 0.05, 0.03, 0.3, 7}) {
                histogram.record(seconds, Attributes.of(AttributeKey.stringKey("country"), "Canada"));
            }
            Collection<MetricData> metrics = reader.collectAllMetrics();

            assertEquals("task.duration [s] histogram {country=Canada} count=5 sum=7.381 "
                            + "buckets (-inf,0.01]=1 (0.01,0.05]=2 (0.05,1]=1 (5,+inf)=1",
                    ConsoleMetricExporter.describe(metrics.iterator().next()),
                    "an upper bound is inclusive, as OpenTelemetry's explicit buckets count; empty buckets left out");
        }
    }
}
