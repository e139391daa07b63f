package dev.helloworld.otlp.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The stop begins while another thread is in the middle of a send (the batch processor's worker
 * or the resend timer, inside the SDK's retries): the stop waits for it within its deadline and
 * sends what it leaves, instead of counting that batch as undeliverable at once.
 */
class DeliveryAtStopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A sender whose first send is held open by the test, as the SDK's retry backoff holds it; later sends succeed. */
    private static final class HeldFirstSend {
        final CompletableResultCode first = new CompletableResultCode();
        final List<List<String>> sends = new CopyOnWriteArrayList<>();

        CompletableResultCode send(List<String> batch) {
            sends.add(batch);
            return sends.size() == 1 ? first : CompletableResultCode.ofSuccess();
        }
    }

    private final HeldFirstSend sender = new HeldFirstSend();
    private final ExportCounts counts = new ExportCounts("spans", () -> 0);
    private final Delivery.Timing timing = new Delivery.Timing();
    private final Delivery<String> delivery = new Delivery<>(sender::send, s -> 100, 1 << 20, counts, timing);

    /** Two spans exported by a worker thread, which is inside their first send when this returns. */
    private Thread exportOnAnotherThread() throws InterruptedException {
        counts.recorded(2);
        Thread worker = new Thread(() -> delivery.export(List.of("a", "b")), "worker");
        worker.start();
        awaitState(worker, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        return worker;
    }

    private static void awaitState(Thread thread, Thread.State... states) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!List.of(states).contains(thread.getState()) && System.nanoTime() - deadline < 0) {
            Thread.sleep(5);
        }
    }

    @Test
    void aBatchInTheMiddleOfARetryWhenTheStopBeginsIsSentWithinTheStopsTime() throws Exception {
        Thread worker = exportOnAnotherThread();
        assertEquals(1, sender.sends.size(), "the worker is inside its first send");

        timing.stopBy(System.nanoTime() + WAIT.toNanos());
        Thread stopping = new Thread(() -> delivery.shutdown(CompletableResultCode::ofSuccess), "stop");
        stopping.start();
        awaitState(stopping, Thread.State.WAITING, Thread.State.TIMED_WAITING, Thread.State.TERMINATED);
        // The SDK gives up on its retries: the collector was away until now.
        sender.first.failExceptionally(new IOException("Connection refused"));
        stopping.join(WAIT.toMillis());
        worker.join(WAIT.toMillis());

        assertEquals(List.of(List.of("a", "b"), List.of("a", "b")), sender.sends, "sent again by the stop, once");
        assertEquals("2 spans recorded, 2 exported, 0 discarded", counts.summary());
    }

    @Test
    void aSendThatOutlastsTheStopsTimeLeavesTheStopOnTimeAndCountsTheBatchUndeliverable() throws Exception {
        Thread worker = exportOnAnotherThread();

        Duration budget = Duration.ofMillis(500);
        long started = System.nanoTime();
        timing.stopBy(started + budget.toNanos());
        delivery.shutdown(CompletableResultCode::ofSuccess);
        long took = System.nanoTime() - started;
        sender.first.failExceptionally(new IOException("Connection refused"));
        worker.join(WAIT.toMillis());

        assertTrue(took >= budget.toNanos() && took < budget.toNanos() + TimeUnit.SECONDS.toNanos(2),
                "waited for the sender until the deadline, then returned: " + took / 1_000_000 + " ms");
        assertEquals("2 spans recorded, 0 exported, 2 discarded (undeliverable at stop 2)", counts.summary());
    }
}
