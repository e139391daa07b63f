package dev.helloworld.verify;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's metric values at its end: a reader of its own, cumulative whatever the exporter's
 * temporality, collected once when the SDK shuts down (after every service that records has
 * stopped, as the exporter's last collection is). Gauges are left out: they have no known answer.
 */
final class FinalMetrics implements MetricReader {

    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    private volatile Collection<MetricData> atShutdown;

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
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
        atShutdown = registration.collectAllMetrics();
        return CompletableResultCode.ofSuccess();
    }

    /** The values at shutdown, or now if the SDK is still up; by metric name, then attributes. */
    List<Manifest.MetricPoint> last() {
        Collection<MetricData> data = atShutdown != null ? atShutdown : registration.collectAllMetrics();
        List<Manifest.MetricPoint> points = new ArrayList<>();
        for (MetricData metric : data) {
            switch (metric.getType()) {
                case LONG_SUM -> metric.getLongSumData().getPoints().forEach(p -> points.add(
                        Manifest.MetricPoint.sum(metric.getName(), attributes(p), p.getValue(), exemplarTraces(p))));
                case DOUBLE_SUM -> metric.getDoubleSumData().getPoints().forEach(p -> points.add(
                        Manifest.MetricPoint.sum(metric.getName(), attributes(p), p.getValue(), exemplarTraces(p))));
                case HISTOGRAM -> metric.getHistogramData().getPoints().forEach(p -> points.add(
                        Manifest.MetricPoint.histogram(metric.getName(), attributes(p), p.getCount(), p.getSum(),
                                exemplarTraces(p))));
                default -> { }
            }
        }
        points.sort(Comparator.comparing(Manifest.MetricPoint::name).thenComparing(p -> p.attributes().toString()));
        return points;
    }

    /** The trace ids of the point's exemplars: what an exemplar-to-trace link must lead to. */
    private static List<String> exemplarTraces(PointData point) {
        return point.getExemplars().stream().map(e -> e.getSpanContext())
                .filter(c -> c.isValid()).map(c -> c.getTraceId()).toList();
    }

    private static Map<String, String> attributes(PointData point) {
        Map<String, String> attributes = new TreeMap<>();
        point.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
        return attributes;
    }
}
