package dev.helloworld.otlp.sdk;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.otlp.Destination;
import dev.helloworld.otlp.OtlpKeys;
import dev.helloworld.otlp.SignalExporters;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServerBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The process's one Prometheus scrape endpoint ({@code /metrics}): OpenTelemetry's own exporter,
 * served when metrics go to {@code prometheus}. Registered here rather than named to
 * autoconfigure, which cannot find its provider on the module path (the exporter's module
 * declares none).
 *
 * <p>During a known-answer run ({@code launcher verify}) it outlives the SDK: at shutdown it keeps
 * serving the values collected then, until the run's read-back is done and the recording closes
 * it. A Prometheus scrapes every so often; without this the last requests of the run would never
 * be scraped, and no backend could show the manifest's final values. Every series then carries the
 * run id as the label {@code helloworld_run_id}, so that a query finds this run's and no other's.
 */
public final class ScrapeEndpoint implements MetricReader {

    private final PrometheusHttpServer server;
    private final String url;
    private final boolean heldForReadBack;
    private volatile CollectionRegistration live = CollectionRegistration.noop();
    private volatile Collection<MetricData> atShutdown;

    private ScrapeEndpoint(String host, int port, boolean heldForReadBack) {
        PrometheusHttpServerBuilder builder = PrometheusHttpServer.builder().setHost(host).setPort(port)
                .setMemoryMode(MemoryMode.IMMUTABLE_DATA);
        if (heldForReadBack) {
            builder.setAllowedResourceAttributesFilter(KnownAnswerRun.RUN_ID_ATTRIBUTE::equals);
        }
        this.server = builder.build();
        this.url = "http://" + host + ":" + port + "/metrics";
        this.heldForReadBack = heldForReadBack;
    }

    /**
     * The endpoint the configuration asks for, if any: when metrics go to {@code prometheus}, and
     * during a known-answer run also when OTEL_EXPORTER_PROMETHEUS_PORT alone is set, as README's
     * verify section offers for a Prometheus that scrapes the run while metrics go over OTLP.
     */
    static Optional<ScrapeEndpoint> wanted(Config config, SignalExporters exporters, Optional<KnownAnswerRun.Recording> run) {
        boolean named = exporters.to("metrics", Destination.PROMETHEUS);
        boolean portForTheRun = run.isPresent() && config.get(Keys.ENABLE_METRICS)
                && config.origin(OtlpKeys.PROMETHEUS_PORT).kind() != Origin.Kind.DEFAULT;
        if (!named && !portForTheRun) {
            return Optional.empty();
        }
        ScrapeEndpoint endpoint = new ScrapeEndpoint(config.get(OtlpKeys.PROMETHEUS_HOST),
                config.get(OtlpKeys.PROMETHEUS_PORT), run.isPresent());
        run.ifPresent(r -> r.closeAfterReadBack(endpoint::close));
        return Optional.of(endpoint);
    }

    /** Where it serves, for the start line. */
    public String url() {
        return url;
    }

    /** Whether it serves past the SDK's shutdown until a known-answer run's read-back is done. */
    public boolean heldForReadBack() {
        return heldForReadBack;
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

    /** Immutable: the values kept at shutdown must not be refilled by a later collection. */
    @Override
    public MemoryMode getMemoryMode() {
        return MemoryMode.IMMUTABLE_DATA;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Stops serving with the SDK, or, during a known-answer run, keeps the values and serves on. */
    @Override
    public CompletableResultCode shutdown() {
        if (heldForReadBack) {
            atShutdown = live.collectAllMetrics();
            return CompletableResultCode.ofSuccess();
        }
        return server.shutdown();
    }

    /** Stops serving: the read-back is done (or the SDK is gone, for an endpoint not held). */
    @Override
    public void close() {
        server.shutdown().join(5, TimeUnit.SECONDS);
    }
}
