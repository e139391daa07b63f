package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.Service;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a set of plugins: starts the enabled ones in priority order, and stops them in the reverse
 * order, each within what is left of the shutdown deadline.
 *
 * <p>A service that {@linkplain Service#startsAlongsideLaterOnes() starts alongside later ones}
 * starts on a thread of its own while the loop goes on; {@link #start} waits for it before the host
 * is {@link HostState#RUNNING}, and it stops in its place of the start order.
 *
 * <p>If a service fails to start, the ones already started are stopped again (reverse order) and
 * {@link #start} throws. {@link #stop} is idempotent and safe to call from a signal handler or
 * shutdown hook while {@link #start} is still running: the start loop notices and stops.
 */
public final class ServiceHost implements AutoCloseable {

    /** The logger name prefix; the console format prints {@code helloworld.http} as {@code [http]}. */
    public static final String LOGGER_PREFIX = "helloworld.";

    /** How long a service may take to stop before the host says that it is still waiting, and how long for. */
    static final Duration STILL_STOPPING_AFTER = Duration.ofSeconds(1);

    private final List<Plugin> plugins;
    private final Config config;
    private final Duration shutdownTimeout;
    private final Map<Class<?>, Object> registry = new ConcurrentHashMap<>();
    private final Map<Service, HostContext> contexts = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    /** The services that have started, in any order; guarded by {@link #lock}. */
    private final Set<Service> started = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile HostState state = HostState.STARTING;
    private volatile boolean stoppedCleanly = true;
    private boolean stopRequested;
    /** The services whose start() is running now; guarded by {@link #lock}. */
    private final Set<Service> starting = new HashSet<>();
    /** Whether stop() has taken {@link #started}; a start that returns later is its own to stop. */
    private boolean startedTaken;
    /** The starts running alongside later ones (main thread only). */
    private final List<AlongsideStart> alongside = new ArrayList<>();

    /**
     * @param plugins the plugins to run, in any order; they are sorted into start order
     * @param config  the configuration resolved with at least {@link Keys#ALL}
     */
    public ServiceHost(List<Plugin> plugins, Config config) {
        this.plugins = Plugins.ordered(plugins);
        this.config = config;
        this.shutdownTimeout = config.get(Keys.SHUTDOWN_TIMEOUT);
    }

    /**
     * Makes {@code value} available to every service under {@code type}, as a service's
     * {@link dev.helloworld.core.spi.ServiceContext#publish} does for those after it: what the
     * host's owner gives the services (the recording of {@code launcher verify}). Before {@link #start}.
     *
     * @throws IllegalStateException when something is already published under {@code type}
     */
    public <T> void publish(Class<T> type, T value) {
        if (registry.putIfAbsent(type, java.util.Objects.requireNonNull(value)) != null) {
            throw new IllegalStateException(type.getName() + " is already published");
        }
    }

    public HostState state() {
        return state;
    }

    /**
     * What a service published under {@code type}, such as the {@code IncidentLog}; it stays
     * readable after the host stopped, for a caller that reports on the run.
     */
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(registry.get(type)));
    }

    /**
     * Starts every enabled plugin in order and returns once all are up.
     *
     * @throws StartException when one fails; the others have been stopped again by then. Its cause
     *                        is a {@link ConfigException} when the service found its options inconsistent
     */
    public void start() throws StartException {
        checkConfigs();
        for (Plugin plugin : plugins) {
            Service service = plugin.service();
            System.Logger log = logger(service);
            var disabled = plugin.disabledReason(config);
            if (disabled.isPresent()) {
                log.log(Level.INFO, "disabled ({0})", disabled.get());
                continue;
            }
            synchronized (lock) {
                if (stopRequested) {
                    return;
                }
                starting.add(service);
            }
            HostContext context = new HostContext(config, log, this::state, registry);
            contexts.put(service, context);
            if (service.startsAlongsideLaterOnes()) {
                alongside.add(AlongsideStart.begin(service, context, this::endedAlongside));
                continue;
            }
            try {
                service.start(context);
            } catch (Exception | Error e) {
                // Errors too: a ServiceConfigurationError or AssertionError from a plugin must still
                // roll back the others, and must not leave stop() waiting for a start that is over.
                finishedStarting(service, false);
                throw rolledBack(service, e);
            }
            if (!finishedStarting(service, true)) {
                // stop() gave up waiting for this start at its deadline and has moved on: stop it here.
                stopOne(service, deadlineFromNow());
                return;
            }
            log.log(Level.INFO, "service started");
        }
        for (AlongsideStart start : alongside) {
            Throwable failure = start.await();
            if (failure != null) {
                throw rolledBack(start.service(), failure);
            }
        }
        synchronized (lock) {
            if (!stopRequested) {
                state = HostState.RUNNING;
            }
        }
    }

    /** The end of a start alongside later ones, on its own thread: as the loop of {@link #start} does. */
    private void endedAlongside(Service service, Throwable failure) {
        if (!finishedStarting(service, failure == null)) {
            stopOne(service, deadlineFromNow());
        } else if (failure == null) {
            logger(service).log(Level.INFO, "service started");
        }
    }

    /** Logs a failed start, stops every service started, and returns the exception for start to throw. */
    private StartException rolledBack(Service service, Throwable e) {
        if (!(e instanceof ConfigException)) {
            // A usage error that a service found (two options that clash) is the caller's
            // to print once, as it prints every other one.
            logger(service).log(Level.ERROR, "failed to start: " + Failures.describe(e), e);
        }
        stop();
        return new StartException(service.name(), e);
    }

    /**
     * Each enabled service's own check of the configuration ({@link Service#checkConfig}), all
     * before any service starts, so that a usage error starts nothing.
     */
    private void checkConfigs() throws StartException {
        for (Plugin plugin : plugins) {
            if (plugin.disabledReason(config).isPresent()) {
                continue;
            }
            try {
                plugin.service().checkConfig(config);
            } catch (ConfigException e) {
                stop();
                throw new StartException(plugin.service().name(), e);
            }
        }
    }

    /**
     * Stops the started services in reverse start order, so that telemetry producers flush into
     * an exporter that is still up. Each gets what is left of the shutdown deadline; one that
     * throws or hangs is logged and passed over. Returns when done; later calls wait for the first.
     */
    public void stop() {
        boolean first;
        synchronized (lock) {
            first = !stopRequested;
            stopRequested = true;
            if (first) {
                state = HostState.STOPPING;
            }
        }
        if (!first) {
            awaitStopped();
            return;
        }
        long deadline = deadlineFromNow();
        List<Service> toStop = takeStarted(deadline);
        // Each service may use what is left of the deadline minus a share kept back for every
        // service after it, so that a hanging server cannot leave the exporter, which stops last,
        // no time to flush; the whole shutdown still ends within the deadline.
        long share = shutdownTimeout.toNanos() / (2L * Math.max(1, toStop.size()));
        for (int i = 0; i < toStop.size(); i++) {
            long later = toStop.size() - 1 - i;
            stopOne(toStop.get(i), deadline - later * share);
        }
        state = HostState.STOPPED;
        stopped.countDown();
    }

    /**
     * Whether every service stopped within the deadline without throwing. False means that some
     * telemetry may not have been flushed, which the launcher reports with exit code 1.
     */
    public boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() {
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Ends the start of {@code service}: if it succeeded, it joins {@link #started} unless stop() has
     * already taken that, in which case this returns false and the caller stops it.
     */
    private boolean finishedStarting(Service service, boolean succeeded) {
        synchronized (lock) {
            starting.remove(service);
            lock.notifyAll();
            if (!succeeded) {
                return true;
            }
            if (startedTaken) {
                return false;
            }
            started.add(service);
            return true;
        }
    }

    /**
     * The started services, last in the start order first. A service still starting is waited for
     * (within the deadline) so that it is stopped first, before what it depends on; one still
     * starting at the deadline is left to {@link #start}, which stops it when its start returns.
     */
    private List<Service> takeStarted(long deadline) {
        synchronized (lock) {
            long left;
            while (!starting.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (Service service : starting) {
                stoppedCleanly = false;
                logger(service).log(Level.WARNING,
                        "still starting after the shutdown timeout of {0}; it is stopped when its start returns",
                        Durations.format(shutdownTimeout));
            }
            startedTaken = true;
            // In the start order, not in the order the starts ended: one that started alongside
            // later ones still stops after them (the profiler records the server's last requests).
            List<Service> toStop = new ArrayList<>();
            for (int i = plugins.size() - 1; i >= 0; i--) {
                Service service = plugins.get(i).service();
                if (started.contains(service)) {
                    toStop.add(service);
                }
            }
            started.clear();
            return toStop;
        }
    }

    private long deadlineFromNow() {
        return System.nanoTime() + shutdownTimeout.toNanos();
    }

    private void stopOne(Service service, long deadline) {
        System.Logger log = logger(service);
        HostContext context = contexts.get(service);
        if (context != null) {
            context.stopping(deadline);
        }
        Throwable[] failure = new Throwable[1];
        Thread stopper = new Thread(() -> {
            try {
                service.stop();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "stop-" + service.name());
        // A hanging stop must not keep the JVM alive after the host has given up on it.
        stopper.setDaemon(true);
        stopper.start();
        long left = Math.max(0, deadline - System.nanoTime());
        if (left > STILL_STOPPING_AFTER.toNanos() && !join(stopper, STILL_STOPPING_AFTER.toNanos())) {
            // A stop this slow is usually the exporter flushing to a collector that does not
            // answer: say how long the wait can last, rather than stay silent for all of it.
            left = Math.max(0, deadline - System.nanoTime());
            log.log(Level.INFO, "still stopping; waiting for it at most {0} more (--shutdown-timeout {1})",
                    Durations.format(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(left))),
                    Durations.format(shutdownTimeout));
        }
        if (!join(stopper, left)) {
            stoppedCleanly = false;
            log.log(Level.WARNING, "did not stop within its share of the shutdown timeout of {0}; abandoned",
                    Durations.format(shutdownTimeout));
        } else if (failure[0] != null) {
            stoppedCleanly = false;
            log.log(Level.WARNING, "failed to stop: " + Failures.describe(failure[0]), failure[0]);
        } else {
            log.log(Level.INFO, "service stopped");
        }
    }

    private static boolean join(Thread thread, long nanos) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private static System.Logger logger(Service service) {
        return System.getLogger(LOGGER_PREFIX + service.name());
    }
}
