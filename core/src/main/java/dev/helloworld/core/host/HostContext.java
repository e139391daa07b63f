package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.ServiceContext;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** One service's view of its host: the shared registry and configuration, its own logger. */
final class HostContext implements ServiceContext {

    private final Config config;
    private final System.Logger logger;
    private final Supplier<HostState> state;
    private final Map<Class<?>, Object> registry;
    /** {@link System#nanoTime()} at which the host abandons this service's stop; set before stop. */
    private volatile long stopDeadline;
    private volatile boolean stopping;

    HostContext(Config config, System.Logger logger, Supplier<HostState> state, Map<Class<?>, Object> registry) {
        this.config = config;
        this.logger = logger;
        this.state = state;
        this.registry = registry;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public Duration timeLeftToStop() {
        return stopping
                ? Duration.ofNanos(Math.max(0, stopDeadline - System.nanoTime()))
                : ServiceContext.super.timeLeftToStop();
    }

    void stopping(long deadline) {
        stopDeadline = deadline;
        stopping = true;
    }

    @Override
    public HostState hostState() {
        return state.get();
    }

    @Override
    public <T> void publish(Class<T> type, T value) {
        Object previous = registry.putIfAbsent(type, Objects.requireNonNull(value));
        if (previous != null) {
            throw new IllegalStateException(type.getName() + " is already published");
        }
    }

    @Override
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(registry.get(type)));
    }
}
