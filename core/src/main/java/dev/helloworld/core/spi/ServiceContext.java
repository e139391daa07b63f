package dev.helloworld.core.spi;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import java.time.Duration;
import java.util.Optional;

/**
 * What a service is started with: the configuration, a logger, the host's state, and a registry
 * through which a service publishes typed objects for the services that start after it (the OTLP
 * plugin publishes its {@code OpenTelemetry}; the HTTP plugin its {@link HttpServerAddress}).
 *
 * <p>The registry belongs to one host, not to the process, so that several hosts can run side by
 * side in one JVM (as the tests do) without fighting over globals.
 */
public interface ServiceContext {

    /** The resolved configuration, the same for every service of the host. */
    Config config();

    /** A logger whose lines read {@code [name] ...}; the name is the service's own. */
    System.Logger logger();

    /** The host's current state; it changes while the service runs. */
    HostState hostState();

    /**
     * Makes {@code value} available to the services that start later, under {@code type}.
     *
     * @throws IllegalStateException when something is already published under {@code type}
     */
    <T> void publish(Class<T> type, T value);

    /** What an earlier service published under {@code type}, if any. */
    <T> Optional<T> lookup(Class<T> type);

    /**
     * How long the host still waits for this service's {@link Service#stop()}: while stop runs,
     * the time left before the host abandons it (which depends on how long the services stopped
     * before it took); before that, the whole {@link Keys#SHUTDOWN_TIMEOUT}. A service that
     * flushes plans its flush to end within this.
     */
    default Duration timeLeftToStop() {
        return config().get(Keys.SHUTDOWN_TIMEOUT);
    }
}
