package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.otlp.api.ServiceTelemetry;
import dev.helloworld.otlp.sdk.TelemetrySdk;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One SDK per logical service, built on demand by {@link TelemetrySdk} with only the service name
 * changed, so that what they export goes through the same pipeline settings as the process's.
 * With the same signals on and off as the process's SDK ({@link EnabledSignals}).
 */
final class LogicalServiceSdks implements ServiceTelemetry {

    private final Config config;
    private final SignalExporters exporters;
    private final Map<String, EnabledSignals> built = new LinkedHashMap<>();
    private boolean closed;

    LogicalServiceSdks(Config config, SignalExporters exporters) {
        this.config = config;
        this.exporters = exporters;
    }

    @Override
    public synchronized OpenTelemetry forService(String serviceName) {
        if (closed) {
            throw new IllegalStateException("the telemetry pipeline is stopped");
        }
        return built.computeIfAbsent(serviceName, name -> new EnabledSignals(
                TelemetrySdk.build(config, Optional.of(name)).sdk(),
                exporters.on("traces"), exporters.on("metrics"), exporters.on("logs")));
    }

    /** Flushes and shuts down every SDK built, in the background as the process's is; completes when all have. */
    synchronized CompletableResultCode shutdown() {
        closed = true;
        List<CompletableResultCode> results = new ArrayList<>();
        built.values().forEach(signals -> results.add(OtlpService.shutdownInBackground(signals.sdk())));
        return CompletableResultCode.ofAll(results);
    }
}
