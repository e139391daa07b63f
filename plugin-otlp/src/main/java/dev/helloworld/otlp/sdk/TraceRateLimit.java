package dev.helloworld.otlp.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Records new traces up to a rate, whole: the root sampler of a
 * {@link Sampler#parentBased parent-based} sampler, so that a trace's other spans follow its
 * root's decision. Past the rate a request is still served and counted by the metrics; its spans
 * and log records are not recorded.
 *
 * <p>Why a limit at all: at full load recording costs more CPU than the request itself, and the
 * batch queues overflow, so the SDK drops spans at random and breaks traces (BENCHMARKS.md). A
 * limit keeps traces whole and bounds what they cost. Why not the contrib project's
 * consistent rate-limiting sampler: it adapts its probability over seconds (a sudden load
 * overflows the queues first) and rewrites every span's trace state.
 *
 * <p>A generic cell rate algorithm, which is a token bucket held in one number: {@code due} is the
 * time at which the traces admitted so far would have been spent at exactly the rate. A trace is
 * admitted while {@code due} is less than a fifth of a second ahead of now: a load under the rate
 * may come unevenly (a paced load catching up after a pause), and the rate holds on average. Not
 * more: a burst of a whole second's worth, 10 000 spans at the default limit, arriving at once when
 * a load starts, overflowed the batch queue of 8 192 (bench/throughput).
 */
public final class TraceRateLimit implements Sampler {

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final long interval;
    private final long tolerance;
    private final LongSupplier nanoTime;
    private final AtomicLong due;
    private final LongAdder refused = new LongAdder();

    TraceRateLimit(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    TraceRateLimit(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
        }
        this.perSecond = perSecond;
        this.interval = SECOND / perSecond;
        this.tolerance = (burst(perSecond) - 1) * interval;
        this.nanoTime = nanoTime;
        this.due = new AtomicLong(nanoTime.getAsLong());
    }

    /** How many traces may come at once: a fifth of a second's worth, at least one. */
    static int burst(int perSecond) {
        return Math.max(1, perSecond / 5);
    }

    /** The parent-based sampler that autoconfigure's default would be, with this limit at the root. */
    Sampler parentBased() {
        return Sampler.parentBased(this);
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        return admit() ? SamplingResult.recordAndSample() : SamplingResult.drop();
    }

    boolean admit() {
        long now = nanoTime.getAsLong();
        while (true) {
            long current = due.get();
            // Differences, not comparisons, of nanoTime values: they may wrap.
            long start = current - now < 0 ? now : current;
            if (start - now > tolerance) {
                refused.increment();
                return false;
            }
            if (due.compareAndSet(current, start + interval)) {
                return true;
            }
        }
    }

    /** New traces not recorded because they came over the rate. */
    public long refused() {
        return refused.sum();
    }

    public int perSecond() {
        return perSecond;
    }

    @Override
    public String getDescription() {
        return "TraceRateLimit{" + perSecond + "/s}";
    }
}
