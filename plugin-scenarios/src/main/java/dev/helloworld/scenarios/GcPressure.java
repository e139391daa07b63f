package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * gc-pressure: a thread of its own allocates short-lived garbage at a steady rate, and keeps a
 * share of it alive a while in a ring, so that it outlives young collections and dies old: the
 * collector works ({@code jvm.gc.duration} counts and sums grow), requests wait in its pauses, and
 * the allocation profile shows {@link #churn}. Both the rate and the live set have ceilings.
 */
final class GcPressure implements Effect {

    /** Small enough for the young generation's fast path, never a humongous object. */
    static final int CHUNK = 32 * 1024;
    /** Ticks a second: the rate is spread evenly, not allocated in one burst a second. */
    private static final int TICKS = 100;
    /** One chunk in this many is kept in the ring, the rest dies at once. */
    private static final int KEPT_ONE_IN = 8;

    static final Param<Integer> RATE = new Param<>("rate", ValueType.integer("<MiB/s>", 1, 512), 64,
            "Garbage allocated per second, in MiB, 1 to 512.");
    static final Param<Double> LIVE = new Param<>("live", ValueType.decimal("<share>", 0, 0.25), 0.1,
            "Share of the max heap (-Xmx) kept alive a while (so that it is promoted, then dies old), at most 0.25.");

    static final List<Param<?>> PARAMS = List.of(RATE, LIVE);

    private final long bytesPerTick;
    private final byte[][] ring;
    private int next;
    private long kept;
    /** Where each chunk goes, so that the JIT cannot prove it dead and skip the allocation. */
    @SuppressWarnings("unused")
    private volatile byte[] last;
    private ScheduledExecutorService churner;

    GcPressure(Parameters parameters) {
        this.bytesPerTick = parameters.get(RATE) * 1024L * 1024L / TICKS;
        long live = (long) (parameters.get(LIVE) * Runtime.getRuntime().maxMemory());
        this.ring = new byte[(int) Math.max(0, live / CHUNK)][];
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        return Optional.empty();
    }

    @Override
    public synchronized void started() {
        churner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scenario-gc-pressure");
            thread.setDaemon(true);
            return thread;
        });
        churner.scheduleAtFixedRate(this::churn, 0, 1_000_000_000L / TICKS, TimeUnit.NANOSECONDS);
    }

    /** One tick's garbage. The name an allocation profile shows. */
    private void churn() {
        for (long allocated = 0; allocated < bytesPerTick; allocated += CHUNK) {
            byte[] chunk = new byte[CHUNK];
            chunk[0] = 1;
            last = chunk;
            if (ring.length > 0 && kept++ % KEPT_ONE_IN == 0) {
                // Replaces the oldest: the ring's objects live for ring.length * KEPT_ONE_IN chunks.
                ring[next] = chunk;
                next = (next + 1) % ring.length;
            }
        }
    }

    @Override
    public synchronized void ended() {
        if (churner != null) {
            churner.shutdownNow();
            try {
                // A tick under way ends within milliseconds; the ring is cleared after it.
                churner.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        java.util.Arrays.fill(ring, null);
        last = null;
    }

    /** The bytes the ring can hold: the live set's ceiling. */
    long liveBound() {
        return (long) ring.length * CHUNK;
    }

    /** Allocated per second. */
    long bytesPerSecond() {
        return bytesPerTick * TICKS;
    }
}
