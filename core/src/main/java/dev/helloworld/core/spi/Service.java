package dev.helloworld.core.spi;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import java.util.List;
import java.util.Optional;

/**
 * A plugin of helloworld: one long-running part of the process (the telemetry pipeline, the HTTP
 * server, the profiler, the querier).
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: declare {@code provides
 * dev.helloworld.core.spi.Service with ...} in {@code module-info.java} for the module path, and
 * list the class in {@code META-INF/services/dev.helloworld.core.spi.Service} for the class path.
 * A provider needs a public no-argument constructor that does no work; everything happens in
 * {@link #start}.
 *
 * <p>The host starts services by ascending {@link #priority()} (then by name) and stops them in the
 * reverse order, so a service may rely on everything with a lower priority being up for its whole
 * life.
 */
public interface Service {

    /** A short lower-case name, used in log lines ({@code [http] service started}) and tables. */
    String name();

    /** Lower starts earlier and stops later. See {@link Priority} for the values in use. */
    default int priority() {
        return Priority.DEFAULT;
    }

    /**
     * The configuration keys this service adds to the command line and the environment. They are
     * resolved together with the core keys, so their errors are reported with everyone else's.
     */
    default List<ConfigKey<?>> configKeys() {
        return List.of();
    }

    /**
     * Why this service will not run with the given configuration (for example "profiling off"), or
     * empty when it will. A disabled service is listed by {@code launcher plugins} but never started.
     */
    default Optional<String> disabledReason(Config config) {
        return Optional.empty();
    }

    /**
     * Whether the host may go on starting the services after this one while this one's start still
     * runs (on a thread of its own). For a slow start that nothing after it builds on: nothing it
     * publishes is looked up by a later service. The profiler is one: loading async-profiler and
     * starting the agent take about a sixth of the time to the first 200, which the HTTP server's
     * start overlaps on another core, and the server answers meanwhile. The host still waits for
     * it before it is {@link HostState#RUNNING} (what readiness reports), a failure still rolls
     * every service back, and it is still stopped in its place of the order.
     */
    default boolean startsAlongsideLaterOnes() {
        return false;
    }

    /**
     * Refuses a configuration that this service cannot run with although every value parsed: two
     * of its options that clash, or a value its backend refuses (the profiling plugin: a service
     * name that is no Pyroscope application name). Called for every enabled service before any
     * starts, so that a usage error (exit 2) starts nothing.
     *
     * @throws ConfigException one {@link dev.helloworld.core.config.ConfigError} per bad value,
     *                         each naming the flag or variable it came from
     */
    default void checkConfig(Config config) throws ConfigException {
    }

    /**
     * Starts the service. Returns once it is serving; throws if it cannot, with a message that
     * makes sense after "[name] failed to start: ".
     */
    void start(ServiceContext context) throws Exception;

    /**
     * Stops the service, releasing every thread and socket it holds. Called at most once, and only
     * after a successful {@link #start}. The host gives it a deadline and moves on if it hangs.
     */
    void stop() throws Exception;
}
