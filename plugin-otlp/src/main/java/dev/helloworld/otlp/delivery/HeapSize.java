package dev.helloworld.otlp.delivery;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * About how much heap a span or log record kept for re-sending holds, so that the retry buffer can
 * be bounded in bytes. An estimate from the parts that vary (names, attribute values, events,
 * bodies) plus a fixed part per object graph; the fixed parts were calibrated against the heap
 * measured for the SDK's own span and log record data ({@code RetryBufferHeapTest}), erring on
 * the high side so that a full buffer holds no more heap than its bound, and the resource and
 * instrumentation scope are not counted, since every item shares them.
 */
final class HeapSize {

    /** SpanWrapper, the ended SdkSpan it wraps, two span contexts with their ids, status, lists. */
    private static final long SPAN = 420;
    /** SdkLogRecordData, its span context and timestamps. */
    private static final long LOG_RECORD = 130;
    private static final long EVENT = 96;
    private static final long LINK = 160;
    /** A slot in an attributes array and a boxed or small value; the key is shared. */
    private static final long ATTRIBUTE = 40;
    /** ImmutableMetricData and its data holder. */
    private static final long METRIC = 200;
    /** A point with its timestamps and value. */
    private static final long POINT = 80;
    /** An exemplar with its span context and filtered attributes. */
    private static final long EXEMPLAR = 200;

    private HeapSize() {}

    static long of(SpanData span) {
        long size = SPAN + text(span.getName()) + attributes(span.getAttributes())
                + (long) span.getLinks().size() * LINK;
        for (EventData event : span.getEvents()) {
            size += EVENT + text(event.getName()) + attributes(event.getAttributes());
        }
        return size;
    }

    static long of(LogRecordData record) {
        Value<?> body = record.getBodyValue();
        // The severity text is one of a few shared constants, and not counted.
        return LOG_RECORD + (body == null ? 0 : text(body.asString())) + attributes(record.getAttributes());
    }

    /**
     * A metric of immutable export data: the metric, and per point its attributes, histogram
     * counts and exemplars. Not calibrated like spans: a few metrics a minute make its error
     * irrelevant to the bound, and it errs high.
     */
    static long of(MetricData metric) {
        long size = METRIC + text(metric.getName()) + text(metric.getDescription()) + text(metric.getUnit());
        for (PointData point : metric.getData().getPoints()) {
            size += POINT + attributes(point.getAttributes()) + (long) point.getExemplars().size() * EXEMPLAR;
            if (point instanceof HistogramPointData histogram) {
                size += 16L * (histogram.getCounts().size() + histogram.getBoundaries().size());
            }
        }
        return size;
    }

    static <T> long of(List<T> items, java.util.function.ToLongFunction<T> size) {
        long total = 0;
        for (T item : items) {
            total += size.applyAsLong(item);
        }
        return total;
    }

    private static long attributes(Attributes attributes) {
        long[] size = {0};
        attributes.forEach((key, value) -> size[0] += ATTRIBUTE
                + (value instanceof String s ? text(s) : value instanceof List<?> l ? 16L + 24L * l.size() : 0));
        return size[0];
    }

    /** A compact (Latin-1) string: object, array header and one byte a character. */
    private static long text(String s) {
        return s == null ? 0 : 40 + s.length();
    }
}
