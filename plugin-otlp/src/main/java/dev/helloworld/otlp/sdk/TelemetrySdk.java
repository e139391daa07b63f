package dev.helloworld.otlp.sdk;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.otlp.OtlpKeys;
import dev.helloworld.otlp.SignalExporters;
import dev.helloworld.otlp.console.ConsoleMetricExporter;
import dev.helloworld.otlp.console.ConsoleTraceExporter;
import dev.helloworld.otlp.delivery.BacklogGuard;
import dev.helloworld.otlp.delivery.Delivery;
import dev.helloworld.otlp.delivery.ExportCounts;
import dev.helloworld.otlp.delivery.MetricExports;
import dev.helloworld.otlp.delivery.QueueDrops;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.LogLimits;
import io.opentelemetry.sdk.logs.LogLimitsBuilder;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.internal.LoggerConfig;
import io.opentelemetry.sdk.logs.internal.SdkLoggerProviderUtil;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The one place that builds the SDK: autoconfigure, fed with {@link OtelProperties}, plus what
 * helloworld always wants (resource attributes, delivery that outlives a collector outage, a
 * backlog guard at the root, and counts of what became of everything).
 *
 * @param sdk       the SDK, not yet global
 * @param spans     what became of the recorded spans
 * @param logs      what became of the recorded log records
 * @param metrics   how the metric exports went
 * @param rateLimit the root sampler that limits new traces, when it is the one in use
 * @param guard     the backlog guard in front of the sampler, when traces are on
 * @param stop      when the host wants everything delivered by, once it stops, and when kept
 *                  batches are tried again
 * @param exporters where each signal goes
 * @param shared    the pipeline's parts, for the SDKs of the process's logical services
 * @param scrape    the Prometheus endpoint, when one is served
 */
public record TelemetrySdk(OpenTelemetrySdk sdk, ExportCounts spans, ExportCounts logs, MetricExports metrics,
        Optional<TraceRateLimit> rateLimit, Optional<BacklogGuard> guard, Delivery.Timing stop,
        SignalExporters exporters, SharedPipeline shared, Optional<ScrapeEndpoint> scrape) {

    /** The OTEL_* setting of the export data's memory mode; our default differs per signal. */
    static final String MEMORY_MODE = "otel.java.exporter.memory_mode";
    /** The batch span processor's schedule delay when OTEL_BSP_SCHEDULE_DELAY is not set (the SDK's). */
    private static final Duration BSP_SCHEDULE_DELAY = Duration.ofSeconds(5);

    static final AttributeKey<String> OS_TYPE = AttributeKey.stringKey("os.type");
    static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
    /** The process detector's attributes that carry the command line, secrets included. */
    static final Set<String> COMMAND_LINE = Set.of("process.command_args", "process.command_line");

    /**
     * Builds the SDK. Autoconfigure's shutdown hook stays off: the host stops the services in
     * order, and the exporter must outlive the services that still produce telemetry.
     *
     * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException on a bad OTEL_* value
     */
    public static TelemetrySdk build(Config config) {
        return build(config, Optional.empty());
    }

    /**
     * The process's SDK while a known-answer run ({@code launcher verify}) records: its Prometheus
     * endpoint, if any, serves on after the SDK until the run's read-back is done.
     */
    public static TelemetrySdk build(Config config, KnownAnswerRun.Recording run) {
        return build(config, Optional.of(run));
    }

    private static TelemetrySdk build(Config config, Optional<KnownAnswerRun.Recording> run) {
        OtelProperties properties = new OtelProperties(config);
        Optional<ScrapeEndpoint> scrape = ScrapeEndpoint.wanted(config, properties.exporters(), run);
        QueueDrops drops = new QueueDrops();
        ExportCounts spans = new ExportCounts("spans", drops::spans);
        ExportCounts logs = new ExportCounts("log records", drops::logRecords);
        MetricExports metrics = new MetricExports();
        Delivery.Timing stop = new Delivery.Timing();
        AtomicReference<TraceRateLimit> rateLimit = new AtomicReference<>();
        AtomicReference<BacklogGuard> guard = new AtomicReference<>();
        SharedPipeline shared = new SharedPipeline(config);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                .addPropertiesSupplier(properties::defaults)
                .addPropertiesCustomizer(properties::overrides)
                .addResourceCustomizer((resource, otel) -> resource(resource, config))
                // No views but QueueDrops' own (the processors' counters, summed as they are by
                // default): an instrument's own advice (the seed's buckets on its histogram, the
                // semantic conventions' attributes and buckets on a library's) is what it exports.
                // Read only at stop; the batch processors record their drops in this provider.
                .addMeterProviderCustomizer((meters, otel) -> {
                    QueueDrops.addTo(meters, drops);
                    shared.metricInterval(otel.getDuration("otel.metric.export.interval", Duration.ofMinutes(1)));
                    scrape.ifPresent(meters::registerMetricReader);
                    return meters;
                })
                .addMetricExporterCustomizer((exporter, otel) -> shared.metricExporter(sdkConsole(exporter)
                        ? metrics.counting(instead(exporter, new ConsoleMetricExporter()))
                        : metrics.keepingDeltas(metrics.counting(
                                otel.getString(MEMORY_MODE) == null ? immutableData(exporter) : exporter),
                                retryBufferShare(config, otel), stop)))
                .addSamplerCustomizer((sampler, otel) -> {
                    Sampler chosen = sampler;
                    OptionalInt limit = properties.traceRateLimit(otel);
                    if (limit.isPresent()) {
                        TraceRateLimit root = new TraceRateLimit(limit.getAsInt());
                        rateLimit.set(root);
                        chosen = root.parentBased();
                    }
                    if (!config.get(Keys.ENABLE_TRACES)) {
                        return chosen;
                    }
                    BacklogGuard backlog = new BacklogGuard(chosen, watches(config, otel, spans, logs));
                    guard.set(backlog);
                    return backlog;
                })
                .addLoggerProviderCustomizer((loggers, otel) -> {
                    UnaryOperator<SdkLoggerProviderBuilder> settings = loggerSettings(config, otel);
                    shared.loggerSettings(settings);
                    return settings.apply(loggers);
                })
                .addSpanProcessorCustomizer((processor, otel) -> shared.spanProcessor(spans.recording(processor)))
                .addLogRecordProcessorCustomizer((processor, otel) -> shared.logProcessor(logs.recording(processor)))
                .addSpanExporterCustomizer((exporter, otel) -> Delivery.of(
                        sdkConsole(exporter)
                                ? instead(exporter, new ConsoleTraceExporter(otel.getDuration("otel.bsp.schedule.delay", BSP_SCHEDULE_DELAY)))
                                : exporter,
                        retryBufferShare(config, otel), spans, stop))
                // On the console the 'otel' logger's records are printed already, by the console
                // log handler, with the ids of the span they were written in: the SDK's console
                // log exporter printed each a second time.
                .addLogRecordExporterCustomizer((exporter, otel) -> Delivery.of(
                        sdkConsole(exporter) ? instead(exporter, LogRecordExporter.noop()) : exporter,
                        retryBufferShare(config, otel), logs, stop))
                .build()
                .getOpenTelemetrySdk();
        return new TelemetrySdk(sdk, spans, logs, metrics, Optional.ofNullable(rateLimit.get()),
                Optional.ofNullable(guard.get()), stop, properties.exporters(), shared, scrape);
    }

    /**
     * With --logs-trace-based, a log record written inside a trace that is not recorded is not
     * exported either (the specification's trace-based logger config): a trace comes whole or not
     * at all. Internal API, still in SDK 1.68: the public alternative, a LogRecordProcessor that
     * drops such records, exports the same records, but Logger.isEnabled cannot see it (a processor
     * has no public isEnabled), so OtelLogHandler would format and build every record over the rate
     * limit only to drop it. TraceSamplingTest catches a change. Always: the log limits read once
     * ({@link #logLimitsReadOnce}). The logical services' SDKs get the same settings.
     */
    private static UnaryOperator<SdkLoggerProviderBuilder> loggerSettings(Config config, ConfigProperties otel) {
        UnaryOperator<SdkLoggerProviderBuilder> limits = loggers -> logLimitsReadOnce(loggers, otel);
        return config.get(OtlpKeys.LOGS_TRACE_BASED)
                ? loggers -> SdkLoggerProviderUtil.setLoggerConfigurator(limits.apply(loggers), LoggerConfig.configuratorBuilder()
                        .setDefault(LoggerConfig.builder().setTraceBased(true).build()).build())
                : limits;
    }

    /**
     * Whether autoconfigure built its console exporter here ({@code console} or {@code logging} in
     * OTEL_*_EXPORTER, or {@code --exporter console}): ours print instead. Told by the package, as
     * the customizers are not told which name an exporter was built for.
     */
    private static boolean sdkConsole(Object exporter) {
        return exporter.getClass().getPackageName().equals("io.opentelemetry.exporter.logging");
    }

    /**
     * The retry buffer's bound, shared equally by what is kept: spans and log records when they
     * are on, and metrics when their temporality is delta (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
     */
    private static long retryBufferShare(Config config, ConfigProperties otel) {
        long bytes = OtlpKeys.retryBufferBytes(config.get(OtlpKeys.RETRY_BUFFER));
        String temporality = otel.getString("otel.exporter.otlp.metrics.temporality.preference", "cumulative");
        boolean deltas = config.get(Keys.ENABLE_METRICS) && !temporality.equalsIgnoreCase("cumulative");
        int kept = (config.get(Keys.ENABLE_TRACES) ? 1 : 0) + (config.get(Keys.ENABLE_LOGS) ? 1 : 0) + (deltas ? 1 : 0);
        return bytes / Math.max(1, kept);
    }

    /** The backlogs the guard watches: spans, and log records when they are on, against their queues. */
    private static List<BacklogGuard.Watch> watches(Config config, ConfigProperties otel, ExportCounts spans,
            ExportCounts logs) {
        List<BacklogGuard.Watch> watches = new ArrayList<>();
        watches.add(BacklogGuard.Watch.ofQueue(spans, otel.getInt("otel.bsp.max.queue.size", 2048)));
        if (config.get(Keys.ENABLE_LOGS)) {
            watches.add(BacklogGuard.Watch.ofQueue(logs, otel.getInt("otel.blrp.max.queue.size", 2048)));
        }
        return watches;
    }

    /**
     * The log limits autoconfigure sets, read once. Autoconfigure (SDK 1.68) hands the logger
     * provider a supplier that reads {@code otel.attribute.value.length.limit} and
     * {@code otel.attribute.count.limit} from the configuration again, and builds new limits, twice
     * for every log record: 2.8 % of the bytes a request allocated and 1.2 % of the CPU samples
     * with every signal on (BENCHMARKS.md, figure 12). The same properties, the same defaults.
     */
    static SdkLoggerProviderBuilder logLimitsReadOnce(SdkLoggerProviderBuilder loggers, ConfigProperties otel) {
        LogLimitsBuilder limits = LogLimits.builder();
        Integer valueLength = otel.getInt("otel.attribute.value.length.limit");
        if (valueLength != null) {
            limits.setMaxAttributeValueLength(valueLength);
        }
        Integer count = otel.getInt("otel.attribute.count.limit");
        if (count != null) {
            limits.setMaxNumberOfAttributes(count);
        }
        LogLimits once = limits.build();
        return loggers.setLogLimits(() -> once);
    }

    /** {@code ours} in place of the SDK's {@code exporter}, which is shut down. */
    private static <T extends Closeable> T instead(Closeable exporter, T ours) {
        try {
            exporter.close();
        } catch (IOException e) {
            // The SDK's console exporters hold nothing that could fail to close.
        }
        return ours;
    }

    /**
     * The metric exporter with immutable export data. With the SDK's default, reusable data, the
     * SDK refills the same metric points at each collection and the exporter serialises them
     * again at each retry; when an export outlasts the metric interval (a collector that is down,
     * while the exporter retries) the two meet, and OTLP/gRPC died with an
     * ArrayIndexOutOfBoundsException from MarshalerContext on an OkHttp thread (CollectorFaultsIT,
     * SDK 1.68). A few metrics a minute make the reuse worth nothing here.
     *
     * <p>Spans and log records keep reusable data: what they export is never refilled once it is
     * queued, and each export takes a marshaler of its own from the exporter's pool. It saves a
     * fifth of the garbage a request makes, which at full load is throughput (BENCHMARKS.md).
     */
    private static MetricExporter immutableData(MetricExporter exporter) {
        MetricExporter rebuilt;
        if (exporter instanceof OtlpHttpMetricExporter http) {
            rebuilt = http.toBuilder().setMemoryMode(MemoryMode.IMMUTABLE_DATA).build();
        } else if (exporter instanceof OtlpGrpcMetricExporter grpc) {
            rebuilt = grpc.toBuilder().setMemoryMode(MemoryMode.IMMUTABLE_DATA).build();
        } else {
            return exporter;
        }
        exporter.shutdown();
        return rebuilt;
    }

    /**
     * Adds who sent the telemetry, and what the APM backend needs: the service's identity as core
     * resolved it ({@link ServiceIdentity}: {@code service.name}, {@code service.version},
     * {@code deployment.environment.name}, and {@code bk.data.token}, the backend's routing key, as
     * in the original), the same values that the profiles and the OTLP headers carry. They replace
     * what autoconfigure read from OTEL_RESOURCE_ATTRIBUTES and {@code -Dotel.*}: core read those
     * too and refused any value that differs, so only a spelling of the same value is replaced.
     * {@code os.type} and {@code host.name} normally come from the resource detectors; they are
     * filled here only if a detector was switched off.
     *
     * <p>The process detector's {@code process.command_args} and {@code process.command_line} are
     * taken out: they hold every option value ({@code --token} included) and every {@code -D}
     * system property of JAVA_OPTS, and would go to every backend.
     */
    public static Resource resource(Resource detected, Config config) {
        return resource(detected, config, Optional.empty());
    }

    /** As {@link #resource(Resource, Config)}, with {@code service.name} replaced by a logical service's name when given. */
    static Resource resource(Resource detected, Config config, Optional<String> logicalService) {
        ResourceBuilder ours = Resource.builder();
        ServiceIdentity.of(config).resourceAttributes().forEach(ours::put);
        logicalService.ifPresent(name -> ours.put(ServiceIdentity.SERVICE_NAME_ATTRIBUTE, name));
        if (detected.getAttribute(OS_TYPE) == null) {
            ours.put(OS_TYPE, osType());
        }
        if (detected.getAttribute(HOST_NAME) == null) {
            hostName().ifPresent(name -> ours.put(HOST_NAME, name));
        }
        return detected.merge(ours.build()).toBuilder()
                .removeIf(key -> COMMAND_LINE.contains(key.getKey()))
                .build();
    }

    private static String osType() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return "windows";
        }
        if (os.startsWith("mac")) {
            return "darwin";
        }
        return os.isEmpty() ? "unknown" : os.split("\\s+")[0];
    }

    private static Optional<String> hostName() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
