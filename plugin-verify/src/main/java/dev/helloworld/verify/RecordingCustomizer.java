package dev.helloworld.verify;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;

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
        autoConfiguration.addMeterProviderCustomizer((builder, config) -> RunRecording.armed()
                .filter(run -> config.getBoolean(METRICS, false) && (on(config, METRICS) || scraped(config)))
                .map(run -> builder.registerMetricReader(run.metrics()))
                .orElse(builder));
    }

    /**
     * Whether the OTLP plugin serves the metrics to a Prometheus: with prometheus among the
     * metrics exporters, or, during a run, with OTEL_EXPORTER_PROMETHEUS_PORT set. It owns that
     * endpoint, and keeps it serving the final values until the run's read-back is done.
     */
    private static boolean scraped(ConfigProperties config) {
        return config.getList(METRICS_EXPORTER).contains("prometheus") || config.getInt(PROMETHEUS_PORT) != null;
    }

    /** Whether the signal {@code key} is on and goes somewhere: with exporter none nothing is sent. */
    private static boolean on(ConfigProperties config, String key) {
        return config.getBoolean(key, false) && !"none".equalsIgnoreCase(config.getString(EXPORTER, ""));
    }
}
