package dev.helloworld.otlp.delivery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches that could not be delivered yet, oldest first, bounded in bytes: past the bound, whole
 * batches are discarded, oldest first, and handed back to be counted. Thread-safe.
 *
 * @param <T> a span or log record
 */
final class RetryBuffer<T> {

    /** One export's worth, as it was handed to the exporter, with its estimated heap size. */
    record Batch<T>(List<T> items, long bytes) {}

    private final long bound;
    private final ArrayDeque<Batch<T>> batches = new ArrayDeque<>();
    private long bytes;
    private long items;
    /** The oldest batch while it is being sent: never discarded, or it could be counted twice. */
    private Batch<T> sending;

    RetryBuffer(long bound) {
        this.bound = bound;
    }

    long bound() {
        return bound;
    }

    /**
     * Appends a batch, then discards the oldest batches until the buffer fits its bound again
     * (the new batch too, if it alone is larger than the bound). Returns what was discarded.
     */
    synchronized List<Batch<T>> add(Batch<T> batch) {
        batches.addLast(batch);
        bytes += batch.bytes();
        items += batch.items().size();
        List<Batch<T>> discarded = new ArrayList<>(0);
        var oldestFirst = batches.iterator();
        while (bytes > bound && oldestFirst.hasNext()) {
            Batch<T> oldest = oldestFirst.next();
            if (oldest != sending) {
                oldestFirst.remove();
                forget(oldest);
                discarded.add(oldest);
            }
        }
        return discarded;
    }

    /**
     * The oldest batch, to be sent: it stays in the buffer, and is not discarded, until
     * {@link #sent} says how the send went. Null when empty.
     */
    synchronized Batch<T> takeOldest() {
        sending = batches.peekFirst();
        return sending;
    }

    /** Ends the send of {@code batch}: removed when it was delivered or refused, else kept. */
    synchronized void sent(Batch<T> batch, boolean remove) {
        sending = null;
        if (remove && batches.peekFirst() == batch) {
            forget(batches.removeFirst());
        }
    }

    synchronized boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Spans or log records held, for the backlog. */
    synchronized long items() {
        return items;
    }

    synchronized long bytes() {
        return bytes;
    }

    private void forget(Batch<T> batch) {
        bytes -= batch.bytes();
        items -= batch.items().size();
    }
}
