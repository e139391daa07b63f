package dev.helloworld.otlp;

import dev.helloworld.otlp.api.ServiceTelemetry;
import dev.helloworld.otlp.sdk.SharedPipeline;
import dev.helloworld.otlp.sdk.TelemetrySdk;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SDK per logical service, built on demand through the process's own pipeline
 * ({@link SharedPipeline}): a resource of its own, and the process's batch queues, retry buffers,
 * exporters, sampler and counts, so that the logical services share the process's delivery budget
 * and its stop summary. With the same signals on and off as the process's SDK ({@link EnabledSignals}).
 */
final class LogicalServiceSdks implements ServiceTelemetry {

    private final TelemetrySdk process;
    private final Map<String, EnabledSignals> built = new LinkedHashMap<>();
    private boolean closed;

    LogicalServiceSdks(TelemetrySdk process) {
        this.process = process;
    }

    @Override
    public synchronized OpenTelemetry forService(String serviceName) {
        if (closed) {
            throw new IllegalStateException("the telemetry pipeline is stopped");
        }
        SignalExporters exporters = process.exporters();
        return built.computeIfAbsent(serviceName, name -> new EnabledSignals(
                process.shared().sdkFor(name, process.sdk()),
                exporters.on("traces"), exporters.on("metrics"), exporters.on("logs")));
    }

    /**
     * Shuts every SDK built down, in the background as the process's is: each one's metric reader
     * exports for the last time, and the shared processors are flushed (not shut down: the process's
     * SDK does that after). Completes when all have.
     */
    synchronized CompletableResultCode shutdown() {
        closed = true;
        List<CompletableResultCode> results = new ArrayList<>();
        built.values().forEach(signals -> results.add(OtlpService.shutdownInBackground(signals.sdk())));
        return CompletableResultCode.ofAll(results);
    }
}
