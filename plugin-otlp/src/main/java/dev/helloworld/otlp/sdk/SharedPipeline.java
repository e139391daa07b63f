package dev.helloworld.otlp.sdk;

import dev.helloworld.core.config.Config;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The process's pipeline as the logical services of the process share it: the span and log record
 * processors (one batch queue, one {@code Delivery} with its retry buffer, one set of counts per
 * signal) and the metric exporters, taken as {@link TelemetrySdk} builds them.
 *
 * <p>Why shared rather than one pipeline per logical service: a resource belongs to a provider,
 * but an exporter takes spans and records of any resource (OTLP groups a batch by resource), so
 * five more providers need no queue, buffer or exporter of their own. With one each, the
 * topology's five services held five more retry buffers and batch queues, about six times the
 * process's outage bound, and the stop summary saw none of their telemetry. Shared, the budget is
 * the process's, the sampler's rate limit and backlog guard see every new trace, and the summary
 * counts everything.
 *
 * <p>The SDK of a logical service is built by autoconfigure too, for what other plugins add
 * through it; only the exporters are left out, and the shared parts put in their place.
 *
 * <p>Metrics cannot share a reader (a reader serves one meter provider): each logical service gets
 * a periodic reader of its own, at the process's interval, into the process's exporters.
 */
public final class SharedPipeline {

    private final Config config;
    private final List<SpanProcessor> spanProcessors = new CopyOnWriteArrayList<>();
    private final List<LogRecordProcessor> logProcessors = new CopyOnWriteArrayList<>();
    private final List<MetricExporter> metricExporters = new CopyOnWriteArrayList<>();
    private volatile Duration metricInterval = Duration.ofMinutes(1);
    private volatile UnaryOperator<SdkLoggerProviderBuilder> loggerSettings = UnaryOperator.identity();

    SharedPipeline(Config config) {
        this.config = config;
    }

    SpanProcessor spanProcessor(SpanProcessor processor) {
        spanProcessors.add(processor);
        return processor;
    }

    LogRecordProcessor logProcessor(LogRecordProcessor processor) {
        logProcessors.add(processor);
        return processor;
    }

    MetricExporter metricExporter(MetricExporter exporter) {
        metricExporters.add(exporter);
        return exporter;
    }

    void metricInterval(Duration interval) {
        metricInterval = interval;
    }

    /** What the process's logger provider is given besides its processors ({@code --logs-trace-based}). */
    void loggerSettings(UnaryOperator<SdkLoggerProviderBuilder> settings) {
        loggerSettings = settings;
    }

    /**
     * An SDK whose resource is the process's with {@code serviceName} as {@code service.name},
     * through the process's pipeline, with the process's sampler. Built by autoconfigure as the
     * process's is, with no exporter of its own, so that every other plugin's customizer applies
     * to it as to the process's (plugin-profiling's span processor that links spans to profiles),
     * and the span limits and propagators are the process's settings.
     */
    public OpenTelemetrySdk sdkFor(String serviceName, OpenTelemetrySdk process) {
        OtelProperties properties = new OtelProperties(config);
        Sampler sampler = process.getSdkTracerProvider().getSampler();
        return AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                .addPropertiesSupplier(properties::defaults)
                .addPropertiesCustomizer(properties::overrides)
                // The name from the start, as autoconfigure's resource, rather than only replaced in
                // ours: the SDK warns that a changed service.name drops the service entity.
                .addPropertiesCustomizer(otel -> Map.of("otel.service.name", serviceName,
                        "otel.traces.exporter", "none", "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                .addResourceCustomizer((detected, otel) -> TelemetrySdk.resource(detected, config, Optional.of(serviceName)))
                .addSamplerCustomizer((configured, otel) -> sampler)
                .addTracerProviderCustomizer((tracers, otel) -> {
                    spanProcessors.forEach(processor -> tracers.addSpanProcessor(Unowned.of(processor)));
                    return tracers;
                })
                .addLoggerProviderCustomizer((loggers, otel) -> {
                    logProcessors.forEach(processor -> loggers.addLogRecordProcessor(Unowned.of(processor)));
                    return loggerSettings.apply(loggers);
                })
                .addMeterProviderCustomizer((meters, otel) -> {
                    metricExporters.forEach(exporter -> meters.registerMetricReader(
                            PeriodicMetricReader.builder(Unowned.of(exporter)).setInterval(metricInterval).build()));
                    return meters;
                })
                .build()
                .getOpenTelemetrySdk();
    }
}
