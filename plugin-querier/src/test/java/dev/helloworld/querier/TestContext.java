package dev.helloworld.querier;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.ServiceContext;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A service context like the host's, with a registry shared by the services a test starts. */
final class TestContext implements ServiceContext {

    private final Config config;
    private final String name;
    private final Map<Class<?>, Object> registry;

    private TestContext(Config config, String name, Map<Class<?>, Object> registry) {
        this.config = config;
        this.name = name;
        this.registry = registry;
    }

    static TestContext of(Collection<ConfigKey<?>> keys, Map<String, String> flags) {
        try {
            return new TestContext(Config.of(keys, flags), "querier", new ConcurrentHashMap<>());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The same configuration and registry, for another service (its own logger). */
    TestContext forService(String serviceName) {
        return new TestContext(config, serviceName, registry);
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("helloworld." + name);
    }

    @Override
    public HostState hostState() {
        return HostState.RUNNING;
    }

    @Override
    public <T> void publish(Class<T> type, T value) {
        if (registry.putIfAbsent(type, value) != null) {
            throw new IllegalStateException(type.getName() + " is already published");
        }
    }

    @Override
    public <T> Optional<T> lookup(Class<T> type) {
        return Optional.ofNullable(type.cast(registry.get(type)));
    }
}
