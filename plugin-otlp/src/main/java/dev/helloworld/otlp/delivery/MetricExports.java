package dev.helloworld.otlp.delivery;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the metric exports went, for the summary at stop. Metrics are not buffered: they are
 * cumulative, so the next export carries what a failed one had; only a failure of the last
 * export, at stop, loses anything.
 */
public final class MetricExports {

    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<CompletableResultCode> last = new AtomicReference<>();

    /** Whether the latest export, at stop the last one, failed or has not succeeded yet. */
    public boolean lastUndelivered() {
        CompletableResultCode latest = last.get();
        return latest != null && !(latest.isDone() && latest.isSuccess());
    }

    /** {@code 24 exports, 1 failed}, and {@code , the last undelivered} when the last one was not delivered. */
    @Override
    public String toString() {
        return exports.get() + " exports, " + failed.get() + " failed" + (lastUndelivered() ? ", the last undelivered" : "");
    }

    public MetricExporter counting(MetricExporter exporter) {
        return new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> metrics) {
                exports.incrementAndGet();
                CompletableResultCode result = exporter.export(metrics);
                last.set(result);
                result.whenComplete(() -> {
                    if (!result.isSuccess()) {
                        failed.incrementAndGet();
                    }
                });
                return result;
            }

            @Override
            public CompletableResultCode flush() {
                return exporter.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.shutdown();
            }

            @Override
            public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
                return exporter.getAggregationTemporality(instrumentType);
            }

            @Override
            public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
                return exporter.getDefaultAggregation(instrumentType);
            }

            @Override
            public MemoryMode getMemoryMode() {
                return exporter.getMemoryMode();
            }

            @Override
            public String toString() {
                return exporter.toString();
            }
        };
    }
}
