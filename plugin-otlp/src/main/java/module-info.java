/**
 * Sets up OpenTelemetry for the whole process: one SDK built with autoconfigure from helloworld's
 * configuration (and the standard OTEL_* variables), published to later services, with OTLP
 * (gRPC or HTTP, both over OkHttp), console or no exporters. Other plugins see only the
 * {@code OpenTelemetry} API object it publishes, and {@code ServiceTelemetry} for logical services.
 */
module dev.helloworld.otlp {
    // The one API: SDKs of their own for logical services run by another plugin (plugin-topology).
    exports dev.helloworld.otlp.api;

    requires dev.helloworld.core;
    // The 'otel' logger's records are bridged to OTel logs, and the SDK's own warnings are filtered.
    requires java.logging;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.sdk.metrics;
    requires io.opentelemetry.sdk.logs;
    // Builds the SDK from properties, and finds other plugins' AutoConfigurationCustomizerProviders.
    requires io.opentelemetry.sdk.autoconfigure;
    requires io.opentelemetry.sdk.autoconfigure.spi;
    // For the attribute names; the resource detectors are found by autoconfigure through
    // ServiceLoader and need no 'requires'.
    requires io.opentelemetry.semconv;
    // Not used here: the b3, b3multi, jaeger and ottrace propagators that autoconfigure finds for
    // OTEL_PROPAGATORS. Required so that it is in the module graph wherever this plugin is.
    requires io.opentelemetry.extension.trace.propagation;
    // The JVM's runtime metrics (JvmMetrics).
    requires io.opentelemetry.instrumentation.runtime_telemetry;
    // The exporters, too, come from autoconfigure; the OTLP metric exporters are rebuilt with
    // another memory mode (TelemetrySdk.immutableData).
    requires io.opentelemetry.exporter.otlp;
    // The exporters' failure and retryable statuses (FailedExportException, RetryUtil), to tell a
    // batch worth sending again from one the collector refused for good (ExportFailure).
    requires io.opentelemetry.exporter.internal;
    // Not used here, but the OkHttp sender is an automatic module and OkHttp an explicit one, which
    // an automatic module cannot pull into the module graph: without this, OTLP export on the module
    // path fails with NoClassDefFoundError unless another plugin happens to require okhttp3.
    requires okhttp3;
    // OTEL_METRICS_EXPORTER=prometheus: OpenTelemetry's Prometheus reader and HTTP server. Its
    // module requires none of the Prometheus library's (automatic) modules it uses, so the
    // launcher scripts add the reads on the module path (bin/launcher: --add-reads).
    requires io.opentelemetry.exporter.prometheus;
    // ComponentLoader: a check hands the exporters a sender that keeps the collector's answer.
    requires io.opentelemetry.common;

    provides dev.helloworld.core.spi.Service with dev.helloworld.otlp.OtlpService;
    provides dev.helloworld.core.spi.ExportCheck with dev.helloworld.otlp.check.OtlpExportCheck;
    provides dev.helloworld.core.logging.LogCorrelation with dev.helloworld.otlp.sdk.TraceLogCorrelation;
}
