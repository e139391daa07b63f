package dev.helloworld.otlp.delivery;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * What became of every span or log record of one signal that was recorded: exported, or
 * discarded for a reason (the retry buffer was full, the collector refused it, the batch
 * processor's queue was full, or it was still undelivered at stop). Recorded = exported +
 * discarded + still waiting, and at stop whatever is still waiting counts as undeliverable, so
 * the summary's identity holds by construction and the tests check its parts against what the
 * collector received.
 *
 * <p>Items are counted as recorded where they enter the batch processor (a wrapper of it, see
 * {@link #recording(SpanProcessor)}), and settled by {@link Delivery}; the difference is the
 * backlog that {@link BacklogGuard} watches.
 */
public final class ExportCounts {

    private static final long SECOND = 1_000_000_000L;

    private final String items;
    private final LongAdder recorded = new LongAdder();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong bufferFull = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong peakKeptBytes = new AtomicLong();
    /** The processor's drops (queue full): reading them collects metrics, so it is done rarely. */
    private final LongSupplier queueFull;
    private volatile long queueFullSeen;
    private volatile long queueFullReadAt = System.nanoTime() - SECOND;

    public ExportCounts(String items, LongSupplier queueFull) {
        this.items = items;
        this.queueFull = queueFull;
    }

    void recorded(long n) {
        recorded.add(n);
    }

    void exported(long n) {
        exported.addAndGet(n);
    }

    void bufferFull(long n) {
        bufferFull.addAndGet(n);
    }

    void refused(long n) {
        refused.addAndGet(n);
    }

    /** What the retry buffer holds now, in its estimated bytes, once a batch was kept (and the oldest discarded). */
    void kept(long bytes) {
        peakKeptBytes.accumulateAndGet(bytes, Math::max);
    }

    /**
     * The most the retry buffer held at once, in the estimated bytes its bound is measured in: what
     * the tests compare with the bound, a budget shared by every resource of the process.
     */
    public long peakKeptBytes() {
        return peakKeptBytes.get();
    }

    /** Items the collector refused for good (401, 403, 404, ...). */
    public long refusedForGood() {
        return refused.get();
    }

    /** Items recorded so far, those of every logical service of the process included. */
    public long recorded() {
        return recorded.sum();
    }

    long exported() {
        return exported.get();
    }

    /**
     * Recorded and not settled yet: in the batch queue, being exported, or kept for re-sending.
     * Cheap; the queue's drops are as last read by {@link #recheckedWaiting}.
     */
    long waiting() {
        return recorded.sum() - exported.get() - bufferFull.get() - refused.get() - queueFullSeen;
    }

    /**
     * {@link #waiting}, with the processor's drops read again if the last reading is a second old:
     * a span the queue dropped never reaches the exporter, and would otherwise count as waiting
     * for ever. Called only when the backlog looks high, so the cost is a metric collection a
     * second at most, and only then.
     */
    long recheckedWaiting() {
        long now = System.nanoTime();
        if (now - queueFullReadAt >= SECOND) {
            queueFullReadAt = now;
            queueFullSeen = queueFull.getAsLong();
        }
        return waiting();
    }

    /** Everything recorded that will never be exported, once {@link #summary} has been taken at stop. */
    long discarded() {
        return recorded.sum() - exported.get();
    }

    /**
     * {@code 120 spans recorded, 100 exported, 20 discarded (buffer full 5, refused 15)}; taken at
     * stop, when whatever is still waiting is undeliverable.
     */
    String summary() {
        queueFullSeen = queueFull.getAsLong();
        long atStop = waiting();
        List<String> causes = new ArrayList<>();
        cause(causes, "buffer full", bufferFull.get());
        cause(causes, "refused", refused.get());
        cause(causes, "queue full", queueFullSeen);
        cause(causes, "undeliverable at stop", atStop);
        long discarded = discarded();
        return recorded.sum() + " " + items + " recorded, " + exported.get() + " exported, " + discarded + " discarded"
                + (causes.isEmpty() ? "" : " (" + String.join(", ", causes) + ")");
    }

    private static void cause(List<String> causes, String name, long n) {
        if (n > 0) {
            causes.add(name + " " + n);
        }
    }

    /** The batch span processor, counting each span it is given (only sampled ones are exported). */
    public SpanProcessor recording(SpanProcessor processor) {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
                processor.onStart(parentContext, span);
            }

            @Override
            public boolean isStartRequired() {
                return processor.isStartRequired();
            }

            @Override
            public void onEnd(ReadableSpan span) {
                if (span.getSpanContext().isSampled()) {
                    recorded.increment();
                }
                processor.onEnd(span);
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }

            @Override
            public CompletableResultCode shutdown() {
                return processor.shutdown();
            }

            @Override
            public CompletableResultCode forceFlush() {
                return processor.forceFlush();
            }

            @Override
            public String toString() {
                return processor.toString();
            }
        };
    }

    /** The batch log record processor, counting each record it is given. */
    public LogRecordProcessor recording(LogRecordProcessor processor) {
        return new LogRecordProcessor() {
            @Override
            public void onEmit(Context context, ReadWriteLogRecord logRecord) {
                recorded.increment();
                processor.onEmit(context, logRecord);
            }

            @Override
            public CompletableResultCode shutdown() {
                return processor.shutdown();
            }

            @Override
            public CompletableResultCode forceFlush() {
                return processor.forceFlush();
            }

            @Override
            public String toString() {
                return processor.toString();
            }
        };
    }
}
