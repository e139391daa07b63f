package dev.helloworld.otlp.check;

import dev.helloworld.core.config.Config;
import dev.helloworld.otlp.Destination;
import dev.helloworld.otlp.SignalExporters;
import dev.helloworld.otlp.sdk.OtelProperties;
import dev.helloworld.otlp.sdk.TelemetrySdk;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One span, one batch of metrics and one log record, made by an SDK built from the same
 * properties and resource as {@link TelemetrySdk}'s, together with the exporters that autoconfigure
 * built for them. The SDK's pipeline is cut before the exporters: what it produces is kept here,
 * so that a check sends it itself and sees each export's own result.
 *
 * @param spans   the span and the exporter {@code run} would send it with, when traces are on
 * @param metrics the metrics and their exporter, when metrics are on
 * @param logs    the log record and its exporter, when logs are on
 */
record SampleTelemetry(Optional<Sample<SpanExporter, SpanData>> spans,
        Optional<Sample<MetricExporter, MetricData>> metrics,
        Optional<Sample<LogRecordExporter, LogRecordData>> logs) {

    /** What a signal's exporter would be given, and the exporter. */
    record Sample<E, D>(E exporter, List<D> data) {}

    static final String SCOPE = "dev.helloworld.check";
    static final String NAME = "helloworld check";

    /**
     * Builds the SDK, records one item of each signal that is on, and flushes them into the
     * holders; the SDK itself is shut down before returning (its exporters are not: they are the
     * caller's, to use and shut down).
     */
    static SampleTelemetry make(Config config, long flushMillis) {
        OtelProperties properties = new OtelProperties(config);
        Holder<SpanExporter, SpanData> spans = new Holder<>();
        Holder<MetricExporter, MetricData> metrics = new Holder<>();
        Holder<LogRecordExporter, LogRecordData> logs = new Holder<>();
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                .addPropertiesSupplier(properties::defaults)
                .addPropertiesCustomizer(properties::overrides)
                // Only what goes over OTLP is checked: the console's exporters would print the samples.
                .addPropertiesCustomizer(otel -> overOtlpOnly(properties.exporters()))
                .addResourceCustomizer((resource, otel) -> TelemetrySdk.resource(resource, config))
                // Whatever OTEL_TRACES_SAMPLER says, the one span of a check is recorded.
                .addSamplerCustomizer((sampler, otel) -> Sampler.alwaysOn())
                .addSpanExporterCustomizer((exporter, otel) -> spans.divert(exporter))
                .addMetricExporterCustomizer((exporter, otel) -> metrics.divert(exporter))
                .addLogRecordExporterCustomizer((exporter, otel) -> logs.divert(exporter))
                .build()
                .getOpenTelemetrySdk();
        try {
            sdk.getTracer(SCOPE).spanBuilder(NAME).startSpan().end();
            sdk.getMeter(SCOPE).counterBuilder("helloworld.check").setDescription("Checks of the pipeline")
                    .build().add(1);
            sdk.getSdkLoggerProvider().get(SCOPE).logRecordBuilder().setSeverity(Severity.INFO)
                    .setBody(NAME).emit();
            CompletableResultCode.ofAll(List.of(sdk.getSdkTracerProvider().forceFlush(),
                    sdk.getSdkMeterProvider().forceFlush(), sdk.getSdkLoggerProvider().forceFlush()))
                    .join(flushMillis, TimeUnit.MILLISECONDS);
        } finally {
            sdk.shutdown().join(flushMillis, TimeUnit.MILLISECONDS);
        }
        return new SampleTelemetry(spans.sample(), metrics.sample(), logs.sample());
    }

    private static Map<String, String> overOtlpOnly(SignalExporters exporters) {
        Map<String, String> p = new HashMap<>();
        for (String signal : SignalExporters.SIGNALS) {
            p.put("otel." + signal + ".exporter", exporters.to(signal, Destination.OTLP) ? "otlp" : "none");
        }
        return p;
    }

    /** Takes the exporter autoconfigure built and what the SDK gives it, in its place. */
    private static final class Holder<E, D> {
        private E exporter;
        private final List<D> data = new ArrayList<>();

        synchronized Optional<Sample<E, D>> sample() {
            return exporter == null || data.isEmpty() ? Optional.empty()
                    : Optional.of(new Sample<>(exporter, List.copyOf(data)));
        }

        /**
         * Only the first batch: the metric reader collects once more when the SDK shuts down, and
         * the counter would then be sent twice.
         */
        synchronized void keep(Collection<D> items) {
            if (data.isEmpty()) {
                data.addAll(items);
            }
        }

        SpanExporter divert(SpanExporter real) {
            set(real);
            return new SpanExporter() {
                @Override
                @SuppressWarnings("unchecked")
                public CompletableResultCode export(Collection<SpanData> spans) {
                    keep((Collection<D>) spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        MetricExporter divert(MetricExporter real) {
            set(real);
            return new MetricExporter() {
                @Override
                @SuppressWarnings("unchecked")
                public CompletableResultCode export(Collection<MetricData> metrics) {
                    keep((Collection<D>) metrics);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public AggregationTemporality getAggregationTemporality(InstrumentType type) {
                    return real.getAggregationTemporality(type);
                }

                @Override
                public Aggregation getDefaultAggregation(InstrumentType type) {
                    return real.getDefaultAggregation(type);
                }

                // Kept after the SDK is gone: its reusable points would be refilled by a later collection.
                @Override
                public MemoryMode getMemoryMode() {
                    return MemoryMode.IMMUTABLE_DATA;
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        LogRecordExporter divert(LogRecordExporter real) {
            set(real);
            return new LogRecordExporter() {
                @Override
                @SuppressWarnings("unchecked")
                public CompletableResultCode export(Collection<LogRecordData> records) {
                    keep((Collection<D>) records);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            };
        }

        @SuppressWarnings("unchecked")
        private synchronized void set(Object real) {
            exporter = (E) real;
        }
    }
}
