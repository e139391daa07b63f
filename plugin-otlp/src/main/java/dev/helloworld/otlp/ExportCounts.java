package dev.helloworld.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many items of one signal the exporter delivered, how many it gave up on, and how many never
 * reached it because the batch processor's queue was full, for the summary logged at stop.
 * Exports are counted by wrapping the exporter that autoconfigure built; drops by
 * {@link QueueDrops}.
 */
final class ExportCounts {

    private final String items;
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongSupplier dropped;

    ExportCounts(String items, LongSupplier dropped) {
        this.items = items;
        this.dropped = dropped;
    }

    long exported() {
        return exported.get();
    }

    long failed() {
        return failed.get();
    }

    long dropped() {
        return dropped.getAsLong();
    }

    /** {@code 12 spans exported, 0 failed}, and {@code , 30 dropped (queue full)} when some were. */
    @Override
    public String toString() {
        long lost = dropped();
        return exported.get() + " " + items + " exported, " + failed.get() + " failed"
                + (lost > 0 ? ", " + lost + " dropped (queue full)" : "");
    }

    private CompletableResultCode count(CompletableResultCode result, int n) {
        result.whenComplete(() -> (result.isSuccess() ? exported : failed).addAndGet(n));
        return result;
    }

    SpanExporter counting(SpanExporter exporter) {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return count(exporter.export(spans), spans.size());
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
            public String toString() {
                return exporter.toString();
            }
        };
    }

    LogRecordExporter counting(LogRecordExporter exporter) {
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> records) {
                return count(exporter.export(records), records.size());
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
            public String toString() {
                return exporter.toString();
            }
        };
    }
}
