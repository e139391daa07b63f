package dev.helloworld.otlp.sdk;

import dev.helloworld.core.config.ServiceIdentity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Duration;
import java.util.List;
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
 * <p>Metrics cannot share a reader (a reader serves one meter provider): each logical service gets
 * a periodic reader of its own, at the process's interval, into the process's exporters.
 */
public final class SharedPipeline {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey(ServiceIdentity.SERVICE_NAME_ATTRIBUTE);

    private final List<SpanProcessor> spanProcessors = new CopyOnWriteArrayList<>();
    private final List<LogRecordProcessor> logProcessors = new CopyOnWriteArrayList<>();
    private final List<MetricExporter> metricExporters = new CopyOnWriteArrayList<>();
    private volatile Resource resource = Resource.empty();
    private volatile Duration metricInterval = Duration.ofMinutes(1);
    private volatile UnaryOperator<SdkLoggerProviderBuilder> loggerSettings = UnaryOperator.identity();

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

    Resource resource(Resource built) {
        resource = built;
        return built;
    }

    void metricInterval(Duration interval) {
        metricInterval = interval;
    }

    /** What the process's logger provider is given besides its processors ({@code --logs-trace-based}). */
    void loggerSettings(UnaryOperator<SdkLoggerProviderBuilder> settings) {
        loggerSettings = settings;
    }

    /**
     * An SDK whose resource is the process's with {@code serviceName} as {@code service.name}, with
     * the process's sampler, span limits and propagators, through the process's pipeline.
     */
    public OpenTelemetrySdk sdkFor(String serviceName, OpenTelemetrySdk process) {
        // A new resource of the same attributes rather than the process's with service.name changed:
        // for such a change the SDK's ResourceBuilder logs a warning that it drops the service
        // entity, once per logical service. Either way the logical resource has no entity refs
        // (incubating in SDK 1.68; the attributes are what backends read).
        Resource own = Resource.create(resource.getAttributes().toBuilder().put(SERVICE_NAME, serviceName).build(),
                resource.getSchemaUrl());
        SdkTracerProvider processTracers = process.getSdkTracerProvider();
        SdkTracerProviderBuilder tracers = SdkTracerProvider.builder().setResource(own)
                .setSampler(processTracers.getSampler())
                .setSpanLimits(processTracers.getSpanLimits());
        spanProcessors.forEach(processor -> tracers.addSpanProcessor(Unowned.of(processor)));
        SdkLoggerProviderBuilder loggers = loggerSettings.apply(SdkLoggerProvider.builder().setResource(own));
        logProcessors.forEach(processor -> loggers.addLogRecordProcessor(Unowned.of(processor)));
        SdkMeterProviderBuilder meters = SdkMeterProvider.builder().setResource(own);
        metricExporters.forEach(exporter -> meters.registerMetricReader(
                PeriodicMetricReader.builder(Unowned.of(exporter)).setInterval(metricInterval).build()));
        return OpenTelemetrySdk.builder()
                .setTracerProvider(tracers.build())
                .setLoggerProvider(loggers.build())
                .setMeterProvider(meters.build())
                .setPropagators(process.getPropagators())
                .build();
    }
}
