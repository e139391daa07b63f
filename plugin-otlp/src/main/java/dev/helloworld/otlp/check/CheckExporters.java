package dev.helloworld.otlp.check;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;

/**
 * The OTLP exporters that autoconfigure built, rebuilt for one check: same endpoint, headers, TLS,
 * compression; no retries; the time left as timeout; a sender that keeps the answer. An exporter
 * that is not one of OpenTelemetry's OTLP exporters (another plugin's customizer replaced it) is
 * used as it is, and its lines say only what its result says.
 */
final class CheckExporters {

    /** One export of a sample, ready to go. */
    interface Export {
        CompletableResultCode send();

        /** Releases the rebuilt exporter and the one it was rebuilt from. */
        void close();
    }

    private CheckExporters() {}

    static Export spans(SampleTelemetry.Sample<SpanExporter, SpanData> sample, RecordingSenders senders, Duration timeout) {
        SpanExporter original = sample.exporter();
        SpanExporter rebuilt;
        if (original instanceof OtlpHttpSpanExporter http) {
            rebuilt = http.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else if (original instanceof OtlpGrpcSpanExporter grpc) {
            rebuilt = grpc.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else {
            rebuilt = original;
        }
        return export(() -> rebuilt.export(sample.data()), rebuilt::shutdown, rebuilt == original ? null : original::shutdown);
    }

    static Export metrics(SampleTelemetry.Sample<MetricExporter, MetricData> sample, RecordingSenders senders,
            Duration timeout) {
        MetricExporter original = sample.exporter();
        MetricExporter rebuilt;
        if (original instanceof OtlpHttpMetricExporter http) {
            rebuilt = http.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else if (original instanceof OtlpGrpcMetricExporter grpc) {
            rebuilt = grpc.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else {
            rebuilt = original;
        }
        return export(() -> rebuilt.export(sample.data()), rebuilt::shutdown, rebuilt == original ? null : original::shutdown);
    }

    static Export logs(SampleTelemetry.Sample<LogRecordExporter, LogRecordData> sample, RecordingSenders senders,
            Duration timeout) {
        LogRecordExporter original = sample.exporter();
        LogRecordExporter rebuilt;
        if (original instanceof OtlpHttpLogRecordExporter http) {
            rebuilt = http.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else if (original instanceof OtlpGrpcLogRecordExporter grpc) {
            rebuilt = grpc.toBuilder().setRetryPolicy(null).setTimeout(timeout).setConnectTimeout(timeout)
                    .setComponentLoader(senders).build();
        } else {
            rebuilt = original;
        }
        return export(() -> rebuilt.export(sample.data()), rebuilt::shutdown, rebuilt == original ? null : original::shutdown);
    }

    private interface Action {
        CompletableResultCode run();
    }

    /** @param original null when the exporter was used as it is */
    private static Export export(Action send, Action rebuilt, Action original) {
        return new Export() {
            @Override
            public CompletableResultCode send() {
                return send.run();
            }

            @Override
            public void close() {
                rebuilt.run();
                if (original != null) {
                    original.run();
                }
            }
        };
    }
}
