package dev.helloworld.otlp.delivery;

import dev.helloworld.otlp.sdk.TelemetrySdk;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records no new trace while the exporter is behind: when the spans or log records waiting for
 * export (queued, being exported, or kept for re-sending) pass a high-water mark, new traces are
 * not recorded until the backlog is back under a low-water mark. The decision is taken once, at
 * a trace's root in this process: a span without a parent, or whose parent came from another
 * process (a {@code traceparent}); a span with a local parent follows it, so this process's part
 * of a trace is recorded whole or not at all, and its log records follow it (the trace-based
 * logger config in {@link TelemetrySdk}). A request whose caller records its trace is thus left
 * out while the exporter is behind: its part of the trace is missing whole, which is better than
 * spans dropped at random from a full queue.
 *
 * <p>Why: a batch processor whose queue is full drops spans at random, which breaks traces, and
 * how fast the queue drains depends on the collector and the CPU, which no fixed rate can know.
 * The marks sit well under the queues' size, so that the traces already under way when the guard
 * closes still fit.
 */
public final class BacklogGuard implements Sampler {

    /**
     * Where one signal's backlog stands, and its marks.
     *
     * @param counts the signal's counts, whose waiting items are the backlog
     * @param high   at or over this many waiting, the guard closes
     * @param low    under this many, it opens again
     */
    public record Watch(ExportCounts counts, long high, long low) {

        /** Marks at a half and a quarter of the batch processor's queue. */
        public static Watch ofQueue(ExportCounts counts, int queueSize) {
            return new Watch(counts, Math.max(1, queueSize / 2), Math.max(1, queueSize / 4));
        }
    }

    private final Sampler delegate;
    private final List<Watch> watches;
    private final LongAdder refused = new LongAdder();
    private volatile boolean behind;

    public BacklogGuard(Sampler delegate, List<Watch> watches) {
        this.delegate = delegate;
        this.watches = List.copyOf(watches);
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        SpanContext parent = Span.fromContext(parentContext).getSpanContext();
        // A remote parent that is not sampled leaves the trace out anyway (parent-based samplers).
        if ((!parent.isValid() || parent.isRemote() && parent.isSampled()) && behind()) {
            refused.increment();
            return SamplingResult.drop();
        }
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    /** Whether the exporter is behind, with hysteresis between the marks. */
    public boolean behind() {
        boolean now = behind;
        if (now) {
            for (Watch watch : watches) {
                if (watch.counts().recheckedWaiting() >= watch.low()) {
                    return true;
                }
            }
            behind = false;
            return false;
        }
        for (Watch watch : watches) {
            if (watch.counts().waiting() >= watch.high() && watch.counts().recheckedWaiting() >= watch.high()) {
                behind = true;
                return true;
            }
        }
        return false;
    }

    /** New traces not recorded because the exporter was behind. */
    public long refused() {
        return refused.sum();
    }

    @Override
    public String getDescription() {
        return "BacklogGuard{" + delegate.getDescription() + "}";
    }
}
