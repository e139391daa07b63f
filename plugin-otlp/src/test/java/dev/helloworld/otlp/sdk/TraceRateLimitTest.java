package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limit against a clock the test moves: what a burst, a steady overload and idle time get. */
class TraceRateLimitTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(123_456_789L);

    private int admitted(TraceRateLimit limit, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            n += limit.admit() ? 1 : 0;
        }
        return n;
    }

    @Test
    void admitsAFifthOfASecondsWorthAtOnceThenOneTraceEveryInterval() {
        TraceRateLimit limit = new TraceRateLimit(50, now::get);
        assertEquals(10, admitted(limit, 50), "a burst of a fifth of a second's worth");
        now.addAndGet(19 * MS);
        assertFalse(limit.admit(), "19 ms later, less than one interval (20 ms)");
        now.addAndGet(MS);
        assertEquals(1, admitted(limit, 5), "one interval later, one more");
        assertEquals(40 + 1 + 4, limit.refused());
    }

    @Test
    void aLowLimitAdmitsOneAtATime() {
        TraceRateLimit limit = new TraceRateLimit(1, now::get);
        assertEquals(1, admitted(limit, 5));
        now.addAndGet(999 * MS);
        assertFalse(limit.admit());
        now.addAndGet(MS);
        assertTrue(limit.admit());
    }

    @Test
    void holdsTheRateOnAverageUnderASteadyOverload() {
        TraceRateLimit limit = new TraceRateLimit(100, now::get);
        int n = 0;
        // 1 000 attempts a second, ten times the limit, for 10 s.
        for (int ms = 0; ms < 10_000; ms++) {
            n += limit.admit() ? 1 : 0;
            now.addAndGet(MS);
        }
        // The first burst (20), then 100 a second.
        assertTrue(n >= 20 + 1_000 - 1 && n <= 20 + 1_000 + 1, "admitted " + n);
        assertEquals(10_000 - n, limit.refused());
    }

    @Test
    void aSteadyLoadUnderTheLimitLosesNothing() {
        TraceRateLimit limit = new TraceRateLimit(2_500, now::get);
        // 2 000 a second, as bench/delivery sends, unevenly: every 100 ms a pause of 50 ms, then
        // the 100 requests that were due in it at once, as a paced load catches up.
        for (int ms = 0; ms < 60_000; ms += 100) {
            assertEquals(100, admitted(limit, 100), "at " + ms + " ms, after the pause");
            now.addAndGet(50 * MS);
            for (int i = 0; i < 100; i++) {
                assertTrue(limit.admit(), "at " + ms + " ms + 50 ms + " + i / 2 + " ms");
                now.addAndGet(MS / 2);
            }
        }
        assertEquals(0, limit.refused());
    }

    @Test
    void idleTimeSavesUpNoMoreThanOneBurst() {
        TraceRateLimit limit = new TraceRateLimit(50, now::get);
        assertEquals(10, admitted(limit, 10));
        now.addAndGet(TimeUnit.HOURS.toNanos(1));
        assertEquals(10, admitted(limit, 1_000));
    }

    @Test
    void keepsCountingAcrossTheWrapOfNanoTime() {
        now.set(Long.MAX_VALUE - 10 * MS);
        TraceRateLimit limit = new TraceRateLimit(50, now::get);
        assertEquals(10, admitted(limit, 20));
        now.addAndGet(20 * MS); // past Long.MAX_VALUE: negative from here
        assertTrue(now.get() < 0);
        assertEquals(1, admitted(limit, 20));
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertEquals(10, admitted(limit, 20));
    }

    @Test
    void threadsRacingForTheLastTracesGetExactlyTheBudget() throws Exception {
        TraceRateLimit limit = new TraceRateLimit(5_000, now::get);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> racers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                racers.add(() -> admitted(limit, 10_000));
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(racers)) {
                total += f.get();
            }
            assertEquals(1_000, total, "the clock stood still: one burst, not one more");
            assertEquals(80_000 - 1_000, limit.refused());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTraceIsKeptOrLeftWholeChildrenFollowTheirRoot() {
        TraceRateLimit limit = new TraceRateLimit(1, now::get);
        Sampler sampler = limit.parentBased();
        String traceId = IdGenerator.random().generateTraceId();
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(sampler, Context.root(), traceId), "the first root");
        assertEquals(SamplingDecision.DROP, decide(sampler, Context.root(), traceId), "a root over the limit");
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(sampler, parent(traceId, true), traceId),
                "a child of a recorded trace, though the budget is spent");
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertEquals(SamplingDecision.DROP, decide(sampler, parent(traceId, false), traceId),
                "a child of a trace left out, though the budget would allow it");
        assertEquals(1, limit.refused(), "children do not count");
        assertEquals("ParentBased{root:TraceRateLimit{1/s},remoteParentSampled:AlwaysOnSampler,"
                + "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
                + "localParentNotSampled:AlwaysOffSampler}", sampler.getDescription());
    }

    private static SamplingDecision decide(Sampler sampler, Context parent, String traceId) {
        return sampler.shouldSample(parent, traceId, "span", SpanKind.INTERNAL, Attributes.empty(), List.of())
                .getDecision();
    }

    private static Context parent(String traceId, boolean sampled) {
        SpanContext context = SpanContext.create(traceId, IdGenerator.random().generateSpanId(),
                sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
        return Context.root().with(Span.wrap(context));
    }
}
