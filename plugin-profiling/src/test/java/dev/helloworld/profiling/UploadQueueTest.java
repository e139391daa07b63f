package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pyroscope.javaagent.Snapshot;
import io.pyroscope.javaagent.api.Exporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The agent's exporter builds an HTTP client with TLS as it is made, which the profiler's start
 * (and with it the first request) no longer waits for: the queue makes its target on the upload
 * thread, at the first upload, once, and stops it only if it was made.
 */
class UploadQueueTest {

    private static final Duration DRAIN = Duration.ofSeconds(5);

    @Test
    void makesItsTargetOnceOnTheUploadThreadAtTheFirstUploadAndStopsIt() throws Exception {
        List<String> madeOn = new CopyOnWriteArrayList<>();
        RecordingExporter target = new RecordingExporter(2);
        UploadQueue queue = new UploadQueue(() -> {
            madeOn.add(Thread.currentThread().getName());
            return target;
        }, 4, DRAIN);
        assertEquals(List.of(), madeOn, "the target must not be made before the first upload");

        queue.export(null);
        queue.export(null);
        assertTrue(target.exported.await(10, TimeUnit.SECONDS), "two uploads reached the target");
        queue.stop();

        assertEquals(List.of("profiling-upload"), madeOn, "made once, on the upload thread");
        assertEquals(1, target.stops.get(), "the target stopped with the queue");
    }

    @Test
    void aStopBeforeAnyUploadNeverMakesTheTarget() {
        AtomicInteger made = new AtomicInteger();
        UploadQueue queue = new UploadQueue(() -> {
            made.incrementAndGet();
            return new RecordingExporter(0);
        }, 4, DRAIN);

        queue.stop();

        assertEquals(0, made.get(), "a run stopped before its first upload makes no exporter, and so no HTTP client");
    }

    private static final class RecordingExporter implements Exporter {
        final CountDownLatch exported;
        final AtomicInteger stops = new AtomicInteger();

        RecordingExporter(int uploads) {
            exported = new CountDownLatch(uploads);
        }

        @Override
        public void export(Snapshot snapshot) {
            exported.countDown();
        }

        @Override
        public void stop() {
            stops.incrementAndGet();
        }
    }
}
