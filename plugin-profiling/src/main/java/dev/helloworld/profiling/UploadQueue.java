package dev.helloworld.profiling;

import io.pyroscope.javaagent.Snapshot;
import io.pyroscope.javaagent.api.Exporter;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Uploads profiles on a thread of its own, so that a slow or unreachable endpoint never delays
 * the next cut, and drains what is queued on stop.
 *
 * <p>The agent's own queue drops whatever is still queued on stop, including the last profile,
 * and leaves the HTTP client's threads behind. This one waits for the queue (at most
 * {@code drainTimeout}), then interrupts an upload that is retrying, then stops the client.
 * When full, the oldest profile gives way: the newest says more about the present.
 *
 * <p>The target is made on the upload thread, before the first upload: the agent's exporter builds
 * its HTTP client at once, and that client reads the JDK's trust store and sets up TLS whatever the
 * endpoint's scheme, which took 0.2-0.3 s of the profiler's start (the last service the first
 * request waits for) on 2 cores (BENCHMARKS.md, figure 1, "quiet machine").
 */
final class UploadQueue implements Exporter {

    private final Supplier<Exporter> makeTarget;
    private final Duration drainTimeout;
    private final ThreadPoolExecutor worker;
    /** Made by the first upload, on the upload thread; null until then. */
    private volatile Exporter target;

    UploadQueue(Supplier<Exporter> makeTarget, int capacity, Duration drainTimeout) {
        this.makeTarget = makeTarget;
        this.drainTimeout = drainTimeout;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, "profiling-upload");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardOldestPolicy());
    }

    @Override
    public void export(Snapshot snapshot) {
        try {
            worker.execute(() -> target().export(snapshot));
        } catch (RejectedExecutionException e) {
            // Stopped already: nothing will upload it.
        }
    }

    @Override
    public void stop() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            Exporter made = target;
            if (made != null) {
                made.stop();
            }
        }
    }

    /** The target, made the first time (only ever on the upload thread). */
    private Exporter target() {
        Exporter exporter = target;
        if (exporter == null) {
            exporter = makeTarget.get();
            target = exporter;
        }
        return exporter;
    }
}
