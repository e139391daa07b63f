package dev.helloworld.otlp.console;

import dev.helloworld.core.host.ServiceHost;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The console exporter for metrics: one short line per metric, such as
 * {@code http.server.request.duration [s] histogram {http.route=/} count=3 sum=0.42 buckets (0.1,0.25]=2 (0.25,0.5]=1}.
 * It replaces the SDK's console metric exporter, whose lines print the whole resource with every
 * metric and are too long to read. Written through java.util.logging, like the span lines.
 *
 * <p>A histogram's buckets are written as the intervals they count, {@code (lower,upper]=n}, only
 * those with a count: the exported counts are per bucket, not cumulative as Prometheus's
 * {@code le} labels are, and a label that reads like {@code le} would mislead.
 */
public final class ConsoleMetricExporter implements MetricExporter {

    private static final Logger LOG = Logger.getLogger(ServiceHost.LOGGER_PREFIX + "metrics");

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        for (MetricData metric : metrics) {
            LOG.log(Level.INFO, describe(metric));
        }
        return CompletableResultCode.ofSuccess();
    }

    static String describe(MetricData metric) {
        String kind = switch (metric.getType()) {
            case LONG_SUM, DOUBLE_SUM -> "sum";
            case LONG_GAUGE, DOUBLE_GAUGE -> "gauge";
            case HISTOGRAM -> "histogram";
            case EXPONENTIAL_HISTOGRAM -> "exponential histogram";
            case SUMMARY -> "summary";
        };
        String unit = metric.getUnit().isEmpty() ? "" : " [" + metric.getUnit() + "]";
        List<String> points = new ArrayList<>();
        for (PointData point : metric.getData().getPoints()) {
            String attributes = ConsoleText.attributes(point.getAttributes());
            points.add((attributes.isEmpty() ? "" : attributes + " ") + value(point));
        }
        return metric.getName() + unit + " " + kind + " " + String.join("; ", points);
    }

    private static String value(PointData point) {
        if (point instanceof LongPointData p) {
            return String.valueOf(p.getValue());
        }
        if (point instanceof DoublePointData p) {
            return String.valueOf(p.getValue());
        }
        if (point instanceof HistogramPointData p) {
            return histogram(p);
        }
        // Exponential histograms and summaries: their toString is short enough, and rare here.
        return point.toString();
    }

    /** {@code count=3 sum=0.42 buckets (0.1,0.25]=2 (0.25,0.5]=1}: the non-empty buckets, each as its interval. */
    static String histogram(HistogramPointData point) {
        StringBuilder text = new StringBuilder("count=").append(point.getCount())
                .append(" sum=").append(ConsoleText.number(point.getSum()));
        List<Double> bounds = point.getBoundaries();
        List<Long> counts = point.getCounts();
        String buckets = " buckets";
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) > 0) {
                String lower = i == 0 ? "-inf" : ConsoleText.number(bounds.get(i - 1));
                String upper = i < bounds.size() ? ConsoleText.number(bounds.get(i)) + "]" : "+inf)";
                text.append(buckets).append(" (").append(lower).append(',').append(upper).append('=').append(counts.get(i));
                buckets = "";
            }
        }
        return text.toString();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
