package dev.helloworld.otlp.delivery;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How many spans and log records the SDK's batch processors dropped because their queue was full
 * (a collector slower than production) or because they had already shut down.
 *
 * <p>The processors count drops only in their own metrics ({@code processedSpans} with
 * {@code dropped=true}, or {@code otel.sdk.processor.span.processed} with an {@code error.type}
 * under the newer internal telemetry), recorded through the SDK's meter provider. This reader
 * is registered there ({@link #addTo}) and collected only when asked, at stop, so counting costs
 * nothing while the service runs. The count is kept at shutdown, when the meter provider can no
 * longer be read.
 */
public final class QueueDrops implements MetricReader {

    private static final AttributeKey<Boolean> LEGACY_DROPPED = AttributeKey.booleanKey("dropped");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** Drops of one kind of item, as the two generations of the SDK's processor metrics name them. */
    private record Kind(String legacyName, String name) {
        long count(Collection<MetricData> metrics) {
            long dropped = 0;
            for (MetricData metric : metrics) {
                boolean legacy = metric.getName().equals(legacyName);
                if (!legacy && !metric.getName().equals(name)) {
                    continue;
                }
                for (LongPointData point : metric.getLongSumData().getPoints()) {
                    if (isDrop(point.getAttributes(), legacy)) {
                        dropped += point.getValue();
                    }
                }
            }
            return dropped;
        }

        private static boolean isDrop(Attributes attributes, boolean legacy) {
            return legacy ? Boolean.TRUE.equals(attributes.get(LEGACY_DROPPED)) : attributes.get(ERROR_TYPE) != null;
        }
    }

    private static final Kind SPANS = new Kind("processedSpans", "otel.sdk.processor.span.processed");
    private static final Kind LOG_RECORDS = new Kind("processedLogs", "otel.sdk.processor.log.processed");
    private static final List<String> COUNTED = List.of(SPANS.legacyName(), SPANS.name(),
            LOG_RECORDS.legacyName(), LOG_RECORDS.name());

    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    /** What was collected at shutdown; null before. */
    private volatile Collection<MetricData> last;

    /**
     * Registers {@code drops} with {@code meters}, with a view per counter of the processors that
     * names the sum they always have: for every other reader the same as their default for a
     * counter, and for this one, whose default is to drop, the only instruments it aggregates.
     */
    public static SdkMeterProviderBuilder addTo(SdkMeterProviderBuilder meters, QueueDrops drops) {
        for (String name : COUNTED) {
            meters.registerView(InstrumentSelector.builder().setType(InstrumentType.COUNTER).setName(name).build(),
                    View.builder().setAggregation(Aggregation.sum()).build());
        }
        return meters.registerMetricReader(drops);
    }

    public long spans() {
        return SPANS.count(metrics());
    }

    public long logRecords() {
        return LOG_RECORDS.count(metrics());
    }

    /** The names of the metrics this reader aggregates: the processors' counts and nothing else (tests). */
    Set<String> aggregated() {
        return metrics().stream().map(MetricData::getName).collect(Collectors.toSet());
    }

    private Collection<MetricData> metrics() {
        Collection<MetricData> atShutdown = last;
        return atShutdown != null ? atShutdown : registration.collectAllMetrics();
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /**
     * Nothing, unless a view says otherwise ({@link #addTo}: the processors' counters). Every
     * reader of a meter provider gets its own storage of each instrument it aggregates, and a
     * measurement is recorded into each: with sums for every counter, the service's
     * {@code requests_total} was recorded twice per request, and before that with every
     * instrument, the HTTP server's duration histogram too, for a reader that never looks at
     * them. The SDK skips an instrument whose aggregation is drop for a reader altogether.
     */
    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
        return Aggregation.drop();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        last = registration.collectAllMetrics();
        return CompletableResultCode.ofSuccess();
    }
}
