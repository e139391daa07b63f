package dev.helloworld.otlp.delivery;

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
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogGuardTest {

    private final ExportCounts spans = new ExportCounts("spans", () -> 0);
    private final ExportCounts logs = new ExportCounts("log records", () -> 0);
    private final BacklogGuard guard = new BacklogGuard(Sampler.parentBased(Sampler.alwaysOn()),
            List.of(BacklogGuard.Watch.ofQueue(spans, 100), BacklogGuard.Watch.ofQueue(logs, 40)));

    private SamplingDecision root() {
        return guard.shouldSample(Context.root(), "0af7651916cd43dd8448eb211c80319c", "root", SpanKind.SERVER,
                Attributes.empty(), List.of()).getDecision();
    }

    @Test
    void closesAtTheHighWaterMarkOfEitherSignalAndOpensUnderTheLowOne() {
        spans.recorded(49);
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, root(), "49 spans waiting, under half the queue of 100");
        spans.recorded(1);
        assertEquals(SamplingDecision.DROP, root(), "50 waiting: behind");
        spans.exported(20);
        assertEquals(SamplingDecision.DROP, root(), "30 waiting: still over the low-water mark of 25");
        spans.exported(6);
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, root(), "24 waiting: caught up");

        logs.recorded(20);
        assertEquals(SamplingDecision.DROP, root(), "log records count too: 20 of a queue of 40");
        logs.refused(11);
        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, root(), "9 log records waiting");
        assertEquals(3, guard.refused(), "the roots not recorded");
    }

    @Test
    void aSpanWithALocalParentFollowsItEvenWhenBehindOneWithARemoteParentIsALocalRoot() {
        spans.recorded(1000);
        SpanContext local = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        SpanContext remote = SpanContext.createFromRemoteParent("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        assertEquals(SamplingDecision.RECORD_AND_SAMPLE, guard.shouldSample(Context.root().with(Span.wrap(local)),
                local.getTraceId(), "child", SpanKind.INTERNAL, Attributes.empty(), List.of()).getDecision(),
                "a trace already recorded here stays whole");
        assertEquals(SamplingDecision.DROP, guard.shouldSample(Context.root().with(Span.wrap(remote)),
                remote.getTraceId(), "GET /helloworld", SpanKind.SERVER, Attributes.empty(), List.of()).getDecision(),
                "a request whose caller records its trace: this process's part is left out whole");
        assertEquals(SamplingDecision.DROP, root());
        assertEquals(2, guard.refused(), "only new traces of this process are counted");
    }

    @Test
    void spansTheQueueDroppedDoNotKeepTheGuardClosed() throws InterruptedException {
        long[] dropped = {0};
        ExportCounts counts = new ExportCounts("spans", () -> dropped[0]);
        BacklogGuard alone = new BacklogGuard(Sampler.alwaysOn(), List.of(BacklogGuard.Watch.ofQueue(counts, 100)));
        counts.recorded(60);
        assertTrue(alone.behind());
        dropped[0] = 60;
        // The drops are read again at most once a second.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (alone.behind() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(alone.behind(), "60 recorded, 60 dropped by the queue: nothing is waiting");
    }
}
