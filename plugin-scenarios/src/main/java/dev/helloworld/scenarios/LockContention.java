package dev.helloworld.scenarios;

import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * lock-contention: a share of requests serialise on one monitor, {@link Monitor}, each holding it
 * for a while: the requests that wait for it are BLOCKED ({@code jvm.thread.count} by state),
 * slower, and their waits are lock events on that monitor's class in the lock profile.
 */
final class LockContention implements Effect {

    /** The one monitor, a class of its own so that a lock profile names it. */
    static final class Monitor {
        private Monitor() {}
    }

    static final Monitor MONITOR = new Monitor();

    /** A serialised request, not a hung server: each holder lets go within a second. */
    static final Duration MOST = Duration.ofSeconds(1);

    static final Param<Duration> HOLD = new Param<>("hold", Param.durationUpTo(MOST), Duration.ofMillis(50),
            "How long each affected request holds the monitor, at most 1s.");
    static final Param<Double> SHARE = Param.share("share", 0.5, "Share of requests that take the monitor, 0 to 1.");

    static final List<Param<?>> PARAMS = List.of(HOLD, SHARE);

    private final long holdNanos;
    private final double share;

    LockContention(Parameters parameters) {
        this.holdNanos = parameters.get(HOLD).toNanos();
        this.share = parameters.get(SHARE);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        if (ThreadLocalRandom.current().nextDouble() < share) {
            hold(holdNanos);
        }
        return Optional.empty();
    }

    /** Takes the monitor and keeps it: the frame the lock profile shows waiting threads in. */
    static void hold(long nanos) {
        synchronized (MONITOR) {
            try {
                // A wait holding the monitor (sleep keeps it; Object.wait would let it go).
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                // The server is stopping and cut the request off: let go now.
                Thread.currentThread().interrupt();
            }
        }
    }
}
