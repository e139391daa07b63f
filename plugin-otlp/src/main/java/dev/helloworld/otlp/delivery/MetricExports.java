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
 * How the metric exports went, for the summary at stop. Cumulative metrics are not buffered: the
 * next export carries what a failed one had, and only a failure of the final export, at stop,
 * loses anything. Delta metrics are kept and sent again as spans are ({@link #keepingDeltas}),
 * and counted like them.
 */
public final class MetricExports {

    private final AtomicLong exports = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicReference<CompletableResultCode> last = new AtomicReference<>();
    /** Set once the exporter is shut down, which the SDK does after the final collection's export. */
    private volatile boolean shutDown;
    private final ExportCounts deltas = new ExportCounts("delta metrics", () -> 0);
    private volatile boolean deltasKept;

    /**
     * Whether what was measured since the last delivered export is undelivered: the final export,
     * made when the SDK shuts down, failed, has not answered, or was never made (the time to stop
     * ran out before it, as with a collector that takes connections and never answers).
     */
    public boolean lastUndelivered() {
        CompletableResultCode latest = last.get();
        return !shutDown || latest != null && !(latest.isDone() && latest.isSuccess());
    }

    /** Exports the collector refused for good (401, 403, 404, ...). */
    public long refusedForGood() {
        return refused.get();
    }

    /** The delta metrics kept for re-sending, when they are. */
    public java.util.Optional<ExportCounts> deltas() {
        return deltasKept ? java.util.Optional.of(deltas) : java.util.Optional.empty();
    }

    /**
     * {@code 24 exports, 1 failed}, with the delta metrics' counts when they are kept, and
     * {@code , the final export not delivered} when it was not.
     */
    @Override
    public String toString() {
        return exports.get() + " exports, " + failed.get() + " failed"
                + (deltasKept ? " (" + deltas.summary() + ")" : "")
                + (lastUndelivered() ? ", the final export " + (shutDown ? "not delivered" : "not made") : "");
    }

    /**
     * {@code counted} behind a {@link Delivery} that keeps what fails and sends it again, when its
     * exports are delta for some instrument and of immutable data (a reusable one is refilled
     * at the next collection); {@code counted} itself otherwise.
     */
    public MetricExporter keepingDeltas(MetricExporter counted, long bufferBytes, Delivery.Timing timing) {
        boolean delta = java.util.Arrays.stream(InstrumentType.values())
                .anyMatch(type -> counted.getAggregationTemporality(type) == AggregationTemporality.DELTA);
        if (!delta || counted.getMemoryMode() != MemoryMode.IMMUTABLE_DATA) {
            return counted;
        }
        deltasKept = true;
        return Delivery.of(counted, bufferBytes, deltas, timing);
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
                        if (!ExportFailure.of(result.getFailureThrowable()).retryable()) {
                            refused.incrementAndGet();
                        }
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
                shutDown = true;
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
