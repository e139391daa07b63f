package dev.helloworld.otlp;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a request's two metric updates cost (HelloWorldHandler's counter with a country, and its
 * seconds histogram with the original's buckets), with the exporting reader alone against it and
 * {@link QueueDrops} too: plugin-otlp registers that second reader only to read the batch
 * processors' drop counts at stop, and the SDK records every measurement into each reader's
 * storage of it; QueueDrops keeps one of the processors' counters only ({@link QueueDrops#addTo}).
 * The exporting reader is a stand-in with the SDK's default aggregations, never collected while
 * the benchmark runs, as no reader is between two exports. In plugin-otlp's package (on the class
 * path) to use the real reader.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1)
public class MetricReadersBenchmark {

    private static final List<Double> SECONDS_BUCKETS = List.of(0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0);
    private static final AttributeKey<String> COUNTRY = AttributeKey.stringKey("country");
    private static final List<String> COUNTRIES = List.of("United States", "Canada", "United Kingdom",
            "Germany", "France", "Japan", "Australia", "China", "India", "Brazil");

    @Param({"1", "2"})
    public int readers;

    private SdkMeterProvider provider;
    private LongCounter requests;
    private DoubleHistogram taskDuration;

    @Setup(Level.Trial)
    public void start() {
        // The buckets come as the histogram's advice, as DemoMetrics gives them (TelemetrySdk has no views).
        SdkMeterProviderBuilder builder = SdkMeterProvider.builder();
        builder.registerMetricReader(new Exporting());
        if (readers == 2) {
            QueueDrops.addTo(builder, new QueueDrops());
        }
        provider = builder.build();
        Meter meter = provider.get("bench");
        requests = meter.counterBuilder("requests_total").build();
        taskDuration = meter.histogramBuilder("task_execute_duration_seconds").setUnit("s")
                .setExplicitBucketBoundariesAdvice(SECONDS_BUCKETS).build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        provider.close();
    }

    @Benchmark
    public void counterAndHistogram() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        requests.add(1, Attributes.of(COUNTRY, COUNTRIES.get(random.nextInt(COUNTRIES.size()))));
        taskDuration.record(random.nextDouble(0.2));
    }

    /** The exporting reader's aggregations (the SDK's defaults: sums, explicit-bucket histograms). */
    private static final class Exporting implements MetricReader {
        @Override
        public void register(CollectionRegistration registration) {
            // Never collected: the benchmark measures the recording side only.
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
