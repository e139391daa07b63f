package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * memory-growth: a cache that grows steadily to a bound computed from the JVM's max heap, holds
 * it while the incident runs, and lets it all go when it ends, as a leak that is then fixed:
 * {@code jvm.memory.used} climbs and falls back, GC metrics and the allocation profile show it
 * ({@link #grow}). It never holds more than its share of the max heap, itself at most half.
 */
final class MemoryGrowth implements Effect {

    /** What the cache grows by at each step. */
    static final int CHUNK = 256 * 1024;

    static final Param<Double> HEAP = new Param<>("heap", ValueType.decimal("<share>", 0, 0.5), 0.25,
            "Share of the max heap (-Xmx) the cache grows to, at most 0.5.");
    static final Param<Duration> OVER = new Param<>("over", Param.durationUpTo(Duration.ofHours(1)), Duration.ofSeconds(30),
            "How long it takes to grow to it, steadily.");

    static final List<Param<?>> PARAMS = List.of(HEAP, OVER);

    private final long bound;
    private final Duration over;
    /** Only the grower thread adds; {@link #ended} clears it after that thread is gone. */
    private final List<byte[]> cache = new ArrayList<>();
    private volatile long retained;
    private ScheduledExecutorService grower;

    MemoryGrowth(Parameters parameters) {
        this.bound = (long) (parameters.get(HEAP) * Runtime.getRuntime().maxMemory());
        this.over = parameters.get(OVER);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        return Optional.empty();
    }

    @Override
    public synchronized void started() {
        long steps = Math.max(1, bound / CHUNK);
        long every = Math.max(1, over.toNanos() / steps);
        grower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scenario-memory-growth");
            thread.setDaemon(true);
            return thread;
        });
        grower.scheduleAtFixedRate(this::grow, 0, every, TimeUnit.NANOSECONDS);
    }

    /** One step: a chunk more, until the bound. The name an allocation profile shows. */
    private void grow() {
        if (retained + CHUNK > bound) {
            return;
        }
        byte[] chunk = new byte[CHUNK];
        // Touched, so that the pages are really the process's and not a lazily mapped promise.
        for (int i = 0; i < chunk.length; i += 4096) {
            chunk[i] = 1;
        }
        synchronized (cache) {
            cache.add(chunk);
        }
        retained += CHUNK;
    }

    @Override
    public synchronized void ended() {
        if (grower != null) {
            grower.shutdownNow();
            try {
                // A step under way ends in microseconds; the clear below must come after it.
                grower.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (cache) {
            cache.clear();
        }
        retained = 0;
    }

    /** The bytes the cache holds now. */
    long retained() {
        return retained;
    }

    /** What it grows to. */
    long bound() {
        return bound;
    }
}
