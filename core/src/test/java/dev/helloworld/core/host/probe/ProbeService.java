package dev.helloworld.core.host.probe;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import java.util.List;

/**
 * A plugin as a third party would write one. PluginsTest loads this package in a module layer or a
 * class loader of its own, as a separate jar would be, never from the core module it is compiled in.
 */
public class ProbeService implements Service {

    public static final ConfigKey<Integer> LEVEL = ConfigKey.builder("probe.level", ValueType.integer("<n>", 1, 9))
            .env("PROBE_LEVEL")
            .defaultValue(3)
            .description("a plugin-declared key")
            .build();

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public int priority() {
        return 150;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(LEVEL);
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
