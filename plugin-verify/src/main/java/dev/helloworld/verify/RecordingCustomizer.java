package dev.helloworld.verify;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Optional;

/**
 * This plugin's part of the OTLP plugin's SDK while a known-answer run records: the run id in the
 * resource, and a span processor, a log record processor and a metric reader that see what the
 * exporters are given. Outside {@code launcher verify} nothing is armed and the SDK is untouched.
 *
 * <p>Only the signals that are on are recorded: the SDK builds a logger provider even when logs
 * go nowhere, and a manifest must not promise what was never sent. The switches arrive as the
 * OTLP plugin passes every helloworld setting, {@code helloworld.<key>}; likewise nothing is
 * recorded with exporter {@code none}.
 */
public final class RecordingCustomizer implements AutoConfigurationCustomizerProvider {

    static final String TRACES = "helloworld.enable.traces";
    static final String METRICS = "helloworld.enable.metrics";
    static final String LOGS = "helloworld.enable.logs";
    static final String EXPORTER = "helloworld.otlp.exporter";
    /** Where the OTLP plugin sends metrics, as it resolved them: otlp, console, prometheus. */
    static final String METRICS_EXPORTER = "helloworld.metrics.exporter";
    static final String PROMETHEUS_PORT = "otel.exporter.prometheus.port";
    static final String PROMETHEUS_HOST = "otel.exporter.prometheus.host";

    @Override
    public void customize(AutoConfigurationCustomizer autoConfiguration) {
        autoConfiguration.addResourceCustomizer((resource, config) -> RunRecording.armed()
                .map(run -> resource.merge(Resource.builder().put(RunRecording.RUN_ID, run.runId()).build()))
                .orElse(resource));
        autoConfiguration.addTracerProviderCustomizer((builder, config) -> RunRecording.armed()
                .filter(run -> on(config, TRACES))
                .map(run -> builder.addSpanProcessor(run.spans()))
                .orElse(builder));
        autoConfiguration.addLoggerProviderCustomizer((builder, config) -> RunRecording.armed()
                .filter(run -> on(config, LOGS))
                .map(run -> builder.addLogRecordProcessor(run.logs()))
                .orElse(builder));
        autoConfiguration.addMeterProviderCustomizer((builder, config) -> {
            Optional<RunRecording> run = RunRecording.armed().filter(r -> config.getBoolean(METRICS, false));
            if (run.isEmpty()) {
                return builder;
            }
            Optional<LingeringScrapeEndpoint> endpoint = scrapeEndpoint(config);
            endpoint.ifPresent(e -> builder.registerMetricReader(run.get().linger(e)));
            return on(config, METRICS) || endpoint.isPresent() ? builder.registerMetricReader(run.get().metrics()) : builder;
        });
    }

    /**
     * The run's own Prometheus endpoint, when OTEL_EXPORTER_PROMETHEUS_PORT asks for one and the
     * OTLP plugin serves none on that port: with OTEL_METRICS_EXPORTER (or --metrics-exporter)
     * naming prometheus it registers OpenTelemetry's exporter itself, which ends with the run.
     */
    private static Optional<LingeringScrapeEndpoint> scrapeEndpoint(ConfigProperties config) {
        Integer port = config.getInt(PROMETHEUS_PORT);
        if (port == null || config.getList(METRICS_EXPORTER).contains("prometheus")) {
            return Optional.empty();
        }
        return Optional.of(new LingeringScrapeEndpoint(config.getString(PROMETHEUS_HOST, "0.0.0.0"), port));
    }

    /** Whether the signal {@code key} is on and goes somewhere: with exporter none nothing is sent. */
    private static boolean on(ConfigProperties config, String key) {
        return config.getBoolean(key, false) && !"none".equalsIgnoreCase(config.getString(EXPORTER, ""));
    }
}
