package dev.helloworld.http;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.ServiceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A service context whose host state a test sets by hand; otherwise like the host's. */
final class TestContext implements ServiceContext {

    private final Config config;
    private final Map<Class<?>, Object> registry = new ConcurrentHashMap<>();
    volatile HostState state = HostState.RUNNING;

    TestContext(Map<String, String> flags) {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(HttpKeys.ALL);
        try {
            config = Config.of(keys, flags);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("helloworld.http");
    }

    @Override
    public HostState hostState() {
        return state;
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
