package dev.helloworld.otlp;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many items of one signal the exporter delivered and how many it gave up on, for the summary
 * logged at stop. Counted by wrapping the exporter that autoconfigure built.
 */
final class ExportCounts {

    private final String items;
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    ExportCounts(String items) {
        this.items = items;
    }

    long exported() {
        return exported.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public String toString() {
        return exported.get() + " " + items + " exported, " + failed.get() + " failed";
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
