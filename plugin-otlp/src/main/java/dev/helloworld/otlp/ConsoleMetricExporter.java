package dev.helloworld.otlp;

import io.opentelemetry.api.common.Attributes;
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
import java.util.stream.Collectors;

/**
 * The console exporter for metrics: one short line per metric, such as
 * {@code http.server.request.duration [s] histogram {http.route=/} count=3 sum=0.42 le0.25=2 le0.5=1}.
 * It replaces the SDK's console metric exporter, whose lines print the whole resource with every
 * metric and are too long to read. Written through java.util.logging, like the span lines.
 */
final class ConsoleMetricExporter implements MetricExporter {

    private static final Logger LOG = Logger.getLogger(ConsoleMetricExporter.class.getName());

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
            points.add(attributes(point.getAttributes()) + value(point));
        }
        return metric.getName() + unit + " " + kind + " " + String.join("; ", points);
    }

    private static String attributes(Attributes attributes) {
        if (attributes.isEmpty()) {
            return "";
        }
        return attributes.asMap().entrySet().stream().map(e -> e.getKey().getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "} "));
    }

    private static String value(PointData point) {
        if (point instanceof LongPointData p) {
            return String.valueOf(p.getValue());
        }
        if (point instanceof DoublePointData p) {
            return String.valueOf(p.getValue());
        }
        if (point instanceof HistogramPointData p) {
            StringBuilder text = new StringBuilder("count=" + p.getCount() + " sum=" + p.getSum());
            List<Double> bounds = p.getBoundaries();
            List<Long> counts = p.getCounts();
            for (int i = 0; i < counts.size(); i++) {
                if (counts.get(i) > 0) {
                    text.append(i < bounds.size() ? " le" + bounds.get(i) : " inf").append('=').append(counts.get(i));
                }
            }
            return text.toString();
        }
        // Exponential histograms and summaries: their toString is short enough, and rare here.
        return point.toString();
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
