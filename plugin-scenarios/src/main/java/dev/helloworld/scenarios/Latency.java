package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * latency: a share of requests waits before its handler runs, a fixed time or a uniform one
 * around it, inside the server span: span durations and {@code http.server.request.duration} grow.
 * A wait, not work: the CPU stays idle, as behind a slow dependency.
 */
final class Latency implements Effect {

    /** A slow request, not a hung one: past this, clients time out and the test says nothing more. */
    static final Duration MOST = Duration.ofSeconds(10);

    /** How the added delay is spread. */
    enum Distribution {
        /** Exactly the delay. */
        FIXED,
        /** Anything from none to twice the delay, evenly: the same mean, a wide spread. */
        UNIFORM
    }

    static final Param<Duration> DELAY = new Param<>("delay", Param.durationUpTo(MOST), Duration.ofMillis(200),
            "Added to each affected request (the mean, when uniform).");
    static final Param<Double> SHARE = Param.share("share", 1, "Share of requests delayed, 0 to 1.");
    static final Param<Distribution> DISTRIBUTION = new Param<>("distribution", ValueType.choice(Distribution.class),
            Distribution.FIXED, "fixed: the delay; uniform: from 0 to twice the delay.");

    static final List<Param<?>> PARAMS = List.of(DELAY, SHARE, DISTRIBUTION);

    private final long delayNanos;
    private final double share;
    private final Distribution distribution;

    Latency(Parameters parameters) {
        this.delayNanos = parameters.get(DELAY).toNanos();
        this.share = parameters.get(SHARE);
        this.distribution = parameters.get(DISTRIBUTION);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() >= share) {
            return Optional.empty();
        }
        long nanos = distribution == Distribution.FIXED ? delayNanos : random.nextLong(2 * delayNanos + 1);
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            // The server is stopping and cut the request off: let it end now.
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }
}
