package dev.helloworld.verify;

import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;

/**
 * OpenTelemetry's Prometheus exporter for a known-answer run, with one difference: when the SDK
 * shuts down it keeps serving the values collected then, until the read-back is done. A
 * Prometheus scrapes every so often; without this the last requests of the run would never be
 * scraped, and no backend could show the manifest's final values.
 *
 * <p>Every series carries the run id as the label {@code helloworld_run_id}, so that a query
 * finds this run's and no other's.
 */
final class LingeringScrapeEndpoint implements MetricReader {

    private final PrometheusHttpServer server;
    private volatile CollectionRegistration live = CollectionRegistration.noop();
    private volatile Collection<MetricData> atShutdown;

    LingeringScrapeEndpoint(String host, int port) {
        this.server = PrometheusHttpServer.builder().setHost(host).setPort(port)
                .setAllowedResourceAttributesFilter(RunRecording.RUN_ID.getKey()::equals)
                .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
                .build();
    }

    @Override
    public void register(CollectionRegistration registration) {
        live = registration;
        server.register(new CollectionRegistration() {
            @Override
            public Collection<MetricData> collectAllMetrics() {
                Collection<MetricData> last = atShutdown;
                return last != null ? last : live.collectAllMetrics();
            }
        });
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return server.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return server.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Freezes the values: the SDK is going, the endpoint stays until {@link #close()}. */
    @Override
    public CompletableResultCode shutdown() {
        atShutdown = live.collectAllMetrics();
        return CompletableResultCode.ofSuccess();
    }

    /** Stops serving: the read-back is done. */
    @Override
    public void close() {
        server.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
    }
}
