package dev.helloworld.scenarios;

import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * log-flood: a thread of its own writes INFO records at a steady rate through the service's
 * logging, so that they go out as OTLP log records (and console lines) like every other, to find
 * where a pipeline starts dropping. Outside any request: the records carry no trace context.
 */
final class LogFlood implements Effect {

    /** Enough to overrun the SDK's default log batch queue (2 048 records a second), not the machine. */
    static final int MOST = 5_000;
    /** Ticks a second: the rate is spread evenly, not written in one burst a second. */
    private static final int TICKS = 100;

    static final Param<Integer> RATE = new Param<>("rate", ValueType.integer("<records/s>", 1, MOST), 500,
            "Log records written per second, 1 to " + MOST + ".");

    static final List<Param<?>> PARAMS = List.of(RATE);

    static final String PREFIX = "[scenario log-flood] record ";

    /** The logger whose records the OTLP plugin exports as log records. */
    private static final System.Logger OTEL = System.getLogger(ConsoleLogging.OTEL_LOGGER);

    private final int rate;
    private long written;
    private long startedAt;
    private ScheduledExecutorService writer;

    LogFlood(Parameters parameters) {
        this.rate = parameters.get(RATE);
    }

    @Override
    public Optional<RequestFailure> onRequest(String method, String path) {
        return Optional.empty();
    }

    @Override
    public synchronized void started() {
        startedAt = System.nanoTime();
        writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "scenario-log-flood");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleAtFixedRate(this::write, 0, 1_000_000_000L / TICKS, TimeUnit.NANOSECONDS);
    }

    /** Catches up with the rate since the start: a late tick writes what the missed ones would have. */
    private void write() {
        // At most a second's worth at once, so that a long stall never turns into a burst above the rate.
        long due = Math.min(written + rate, (System.nanoTime() - startedAt) * rate / 1_000_000_000L);
        while (written < due && !Thread.currentThread().isInterrupted()) {
            OTEL.log(Level.INFO, PREFIX + ++written);
        }
    }

    @Override
    public synchronized void ended() {
        if (writer != null) {
            writer.shutdownNow();
            try {
                writer.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
