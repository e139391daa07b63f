package dev.helloworld.scenarios;

import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * cpu-hotspot: a share of requests burns CPU in one named method, {@link #burn}, inside the
 * request's server span, so that the CPU profile and the span's profile show
 * {@code dev.helloworld.scenarios.HotSpot.burn} under that request.
 */
final class HotSpot implements Effect {

    /** A hot request, not a stuck one; the burn also ends when the server interrupts its worker. */
    static final Duration MOST = Duration.ofSeconds(1);

    static final Param<Duration> BURN = new Param<>("burn", Param.durationUpTo(MOST), Duration.ofMillis(50),
            "CPU time burnt in HotSpot.burn by each affected request.");
    static final Param<Double> SHARE = Param.share("share", 1, "Share of requests that burn, 0 to 1.");

    static final List<Param<?>> PARAMS = List.of(BURN, SHARE);

    private final long burnNanos;
    private final double share;

    HotSpot(Parameters parameters) {
        this.burnNanos = parameters.get(BURN).toNanos();
        this.share = parameters.get(SHARE);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        if (ThreadLocalRandom.current().nextDouble() < share) {
            burn(burnNanos);
        }
        return Optional.empty();
    }

    /** The hot method: a busy loop for {@code nanos}, the name a profile shows. */
    static double burn(long nanos) {
        long end = System.nanoTime() + nanos;
        double sink = 0;
        Thread self = Thread.currentThread();
        while (System.nanoTime() < end && !self.isInterrupted()) {
            sink += Math.sqrt(sink + 1);
        }
        // Returned so that the JIT cannot discard the loop's body.
        return sink;
    }
}
