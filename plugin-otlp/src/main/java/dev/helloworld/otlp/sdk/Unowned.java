package dev.helloworld.otlp.sdk;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Collection;

/**
 * A part of the process's pipeline as a logical service's SDK holds it: used as it is, but its
 * shutdown only flushes. The process's SDK owns the part and shuts it down last, after the
 * logical services' SDKs, so that their last spans, records and metrics still have a way out.
 */
final class Unowned {

    private Unowned() {}

    static SpanProcessor of(SpanProcessor processor) {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
                processor.onStart(parentContext, span);
            }

            @Override
            public boolean isStartRequired() {
                return processor.isStartRequired();
            }

            @Override
            public void onEnd(ReadableSpan span) {
                processor.onEnd(span);
            }

            @Override
            public boolean isEndRequired() {
                return processor.isEndRequired();
            }

            @Override
            public CompletableResultCode shutdown() {
                return processor.forceFlush();
            }

            @Override
            public CompletableResultCode forceFlush() {
                return processor.forceFlush();
            }
        };
    }

    static LogRecordProcessor of(LogRecordProcessor processor) {
        return new LogRecordProcessor() {
            @Override
            public void onEmit(Context context, ReadWriteLogRecord logRecord) {
                processor.onEmit(context, logRecord);
            }

            @Override
            public CompletableResultCode shutdown() {
                return processor.forceFlush();
            }

            @Override
            public CompletableResultCode forceFlush() {
                return processor.forceFlush();
            }
        };
    }

    static MetricExporter of(MetricExporter exporter) {
        return new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> metrics) {
                return exporter.export(metrics);
            }

            @Override
            public CompletableResultCode flush() {
                return exporter.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.flush();
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
        };
    }
}
