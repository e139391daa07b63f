package dev.helloworld.otlp.delivery;

import dev.helloworld.otlp.sdk.ExportFailureFilter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Between a batch processor and the OTLP exporter: batches are sent oldest first, and a batch the
 * exporter gave up on (after the SDK's own retries) because the collector was away, busy or slow
 * is kept in a {@link RetryBuffer} and sent again, in order, at the next export, or
 * after {@link Timing#RESEND_EVERY} without one, and at the latest at shutdown, instead of being
 * lost. A refusal that a retry cannot fix (400, 401, 403, 404, 413, ...)
 * is counted and not sent again; the exporter's warning about it names the likely cause
 * ({@link ExportFailureFilter}).
 *
 * <p>Why by hand: the SDK retries one request a few times within seconds, then drops the batch;
 * it has no buffer that outlives an outage (the exporters' disk buffering in the contrib project
 * writes files and needs its own reader). What is here is the buffer, the order, and counting.
 *
 * <p>The caller's thread sends: the batch processor's one worker thread, which blocks in
 * {@link #export} as it would on the exporter's own result, or the thread that flushes at stop.
 * A lock keeps sends in order; a caller that finds another one sending leaves its batch in the
 * buffer for that one.
 *
 * @param <T> a span or log record
 */
public final class Delivery<T> {

    /** How long one send may take before it counts as failed, in case an exporter never answers. */
    private static final long SEND_LIMIT = TimeUnit.MINUTES.toNanos(2);

    private final Function<List<T>, CompletableResultCode> send;
    private final ToLongFunction<T> heapSize;
    private final RetryBuffer<T> buffer;
    private final ExportCounts counts;
    private final ReentrantLock sending = new ReentrantLock();
    private final Timing timing;
    private final ScheduledFuture<?> resend;

    /**
     * When to give up, and when to try again; shared by every signal's delivery. A collector that
     * comes back while no new batch arrives (an idle service) would otherwise get what is kept only
     * at stop, so each delivery with something kept tries again every {@link #RESEND_EVERY}, on one
     * daemon thread that exists only while there is something to schedule.
     */
    public static final class Timing {
        /** As often as the batch processors export by default (OTEL_BSP_SCHEDULE_DELAY). */
        static final Duration RESEND_EVERY = Duration.ofSeconds(5);

        private volatile boolean set;
        private volatile long nanoTime;
        private ScheduledThreadPoolExecutor timer;

        /** From now on, sends only until {@code deadline} (a System.nanoTime() value). */
        public void stopBy(long deadline) {
            nanoTime = deadline;
            set = true;
        }

        /** How long a send may take: up to the deadline once stopping, else {@code limit}. */
        long nanosLeft(long limit) {
            return set ? nanoTime - System.nanoTime() : limit;
        }

        synchronized ScheduledFuture<?> every(Duration period, Runnable task) {
            if (timer == null) {
                timer = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread thread = new Thread(r, "otlp-resend");
                    thread.setDaemon(true);
                    return thread;
                });
                timer.setKeepAliveTime(period.toMillis() * 2, TimeUnit.MILLISECONDS);
                timer.allowCoreThreadTimeOut(true);
                timer.setRemoveOnCancelPolicy(true);
            }
            return timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    Delivery(Function<List<T>, CompletableResultCode> send, ToLongFunction<T> heapSize, long bufferBytes,
            ExportCounts counts, Timing timing) {
        this.send = send;
        this.heapSize = heapSize;
        this.buffer = new RetryBuffer<>(bufferBytes);
        this.counts = counts;
        this.timing = timing;
        this.resend = timing.every(Timing.RESEND_EVERY, () -> {
            if (!buffer.isEmpty()) {
                sendBuffered();
            }
        });
    }

    public static SpanExporter of(SpanExporter exporter, long bufferBytes, ExportCounts counts, Timing timing) {
        Delivery<SpanData> delivery = new Delivery<>(exporter::export, HeapSize::of, bufferBytes, counts, timing);
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return delivery.export(spans);
            }

            @Override
            public CompletableResultCode flush() {
                return delivery.flush(exporter.flush());
            }

            @Override
            public CompletableResultCode shutdown() {
                return delivery.shutdown(exporter::shutdown);
            }

            @Override
            public String toString() {
                return exporter.toString();
            }
        };
    }

    public static LogRecordExporter of(LogRecordExporter exporter, long bufferBytes, ExportCounts counts, Timing timing) {
        Delivery<LogRecordData> delivery = new Delivery<>(exporter::export, HeapSize::of, bufferBytes, counts, timing);
        return new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> records) {
                return delivery.export(records);
            }

            @Override
            public CompletableResultCode flush() {
                return delivery.flush(exporter.flush());
            }

            @Override
            public CompletableResultCode shutdown() {
                return delivery.shutdown(exporter::shutdown);
            }

            @Override
            public String toString() {
                return exporter.toString();
            }
        };
    }

    /**
     * For an exporter of delta metrics: each export carries only what changed since the last one, so
     * one that fails loses those changes for good unless it is kept and sent again, as spans are.
     * Cumulative metrics need none of this (the next export carries what a failed one had), and are
     * not given to it. Each metric of an export counts as one recorded item.
     */
    static MetricExporter of(MetricExporter exporter, long bufferBytes, ExportCounts counts, Timing timing) {
        Delivery<MetricData> delivery = new Delivery<>(exporter::export, HeapSize::of, bufferBytes, counts, timing);
        return new MetricExporter() {
            @Override
            public CompletableResultCode export(Collection<MetricData> metrics) {
                counts.recorded(metrics.size());
                return delivery.export(metrics);
            }

            @Override
            public CompletableResultCode flush() {
                return delivery.flush(exporter.flush());
            }

            @Override
            public CompletableResultCode shutdown() {
                return delivery.shutdown(exporter::shutdown);
            }

            @Override
            public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
                return exporter.getAggregationTemporality(instrumentType);
            }

            @Override
            public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
                return exporter.getDefaultAggregation(instrumentType);
            }

            @Override
            public MemoryMode getMemoryMode() {
                return exporter.getMemoryMode();
            }

            @Override
            public String toString() {
                return exporter.toString();
            }
        };
    }

    /**
     * Takes the batch over and sends what is buffered, oldest first. Always succeeds: the batch
     * is delivered, kept, or counted as discarded, and the processor has nothing to add to that.
     */
    CompletableResultCode export(Collection<T> items) {
        // A copy: the processor reuses its batch list once export returns (the items themselves
        // are immutable snapshots, SpanData and LogRecordData, whatever the exporter's memory mode).
        List<T> batch = List.copyOf(items);
        if (!sentStraight(batch)) {
            keep(batch);
            sendBuffered();
        }
        return CompletableResultCode.ofSuccess();
    }

    /**
     * Sends a batch that nothing older waits before, without keeping it first, and keeps it only
     * if the send fails for a reason a retry can fix: true when the batch is taken care of, false
     * when others wait (or are being sent) and it must queue behind them. Keeping a batch means
     * estimating its heap size for the buffer's bound, item by item: 4 % of the service's CPU at
     * full load (JFR), spent on batches that a collector which answers takes at once.
     *
     * <p>The order holds because one thread exports (the batch processor's worker): no batch can
     * be kept while this one is out, and a stop waits for the lock held here.
     */
    private boolean sentStraight(List<T> batch) {
        if (!buffer.isEmpty() || !sending.tryLock()) {
            return false;
        }
        try {
            if (!buffer.isEmpty()) {
                return false;
            }
            if (sendOnce(batch) == Sent.RETRY) {
                keep(batch);
            }
            return true;
        } finally {
            sending.unlock();
        }
    }

    private void keep(List<T> batch) {
        for (RetryBuffer.Batch<T> discarded : buffer.add(new RetryBuffer.Batch<>(batch, HeapSize.of(batch, heapSize)))) {
            counts.bufferFull(discarded.items().size());
        }
        counts.kept(buffer.bytes());
    }

    /**
     * Sends what is still buffered, then shuts the exporter down. The batch processors call this
     * last, after their final export; their flush does not reach the exporter when their queue is
     * empty, so this is where a buffer that no new batch came to push gets its last chance.
     */
    CompletableResultCode shutdown(java.util.function.Supplier<CompletableResultCode> exporterShutdown) {
        resend.cancel(false);
        sendBufferedWaiting();
        return exporterShutdown.get();
    }

    /** Sends what is buffered; succeeds when nothing is left, after the exporter's own flush. */
    CompletableResultCode flush(CompletableResultCode exporterFlush) {
        sendBufferedWaiting();
        CompletableResultCode done = new CompletableResultCode();
        exporterFlush.whenComplete(() -> {
            if (exporterFlush.isSuccess() && buffer.isEmpty()) {
                done.succeed();
            } else {
                done.fail();
            }
        });
        return done;
    }

    private void sendBuffered() {
        // Checked again after the lock is released: a batch added while the lock was held, just
        // after the sender found the buffer empty, would otherwise wait for the next export.
        while (!buffer.isEmpty() && sending.tryLock()) {
            if (!sendThenUnlock()) {
                return;
            }
        }
    }

    /** With the lock taken: sends oldest first, then lets the lock go; false when a send failed. */
    private boolean sendThenUnlock() {
        try {
            return sendOldestFirst();
        } finally {
            sending.unlock();
        }
    }

    /**
     * As {@link #sendBuffered}, but a sender already at work (the batch processor's thread or the
     * resend timer, perhaps inside the SDK's own retries with the collector just back) is waited
     * for, up to the stop deadline, and what it leaves is sent after it. Without the wait, a batch
     * in the middle of a retry when the stop began counted as undeliverable at once, although the
     * time to stop had barely started.
     */
    private void sendBufferedWaiting() {
        // The lock first, even with nothing buffered: a batch sent straight is not in the buffer
        // while it is out, and is kept only once its send has failed.
        try {
            do {
                if (!sending.tryLock(Math.max(0, timing.nanosLeft(SEND_LIMIT)), TimeUnit.NANOSECONDS)
                        || !sendThenUnlock()) {
                    return;
                }
            } while (!buffer.isEmpty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends until the buffer is empty (true) or a send fails and should be tried later (false). */
    private boolean sendOldestFirst() {
        RetryBuffer.Batch<T> batch;
        while ((batch = buffer.takeOldest()) != null) {
            Sent sent = sendOnce(batch.items());
            buffer.sent(batch, sent != Sent.RETRY);
            if (sent == Sent.RETRY) {
                return false;
            }
        }
        return true;
    }

    private enum Sent { EXPORTED, REFUSED, RETRY }

    /** One send, counted when it settles the items: exported, or refused for good. */
    private Sent sendOnce(List<T> items) {
        // At stop, what is still buffered at the deadline counts as undeliverable at stop.
        long limit = timing.nanosLeft(SEND_LIMIT);
        if (limit <= 0) {
            return Sent.RETRY;
        }
        CompletableResultCode result = send.apply(items).join(limit, TimeUnit.NANOSECONDS);
        if (result.isSuccess()) {
            counts.exported(items.size());
            return Sent.EXPORTED;
        }
        if (result.isDone() && !ExportFailure.of(result.getFailureThrowable()).retryable()) {
            counts.refused(items.size());
            return Sent.REFUSED;
        }
        return Sent.RETRY;
    }
}
