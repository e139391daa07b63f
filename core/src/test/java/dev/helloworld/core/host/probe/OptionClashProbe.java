package dev.helloworld.core.host.probe;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import java.util.List;

/** A plugin whose option takes core's {@code --debug}. */
public class OptionClashProbe implements Service {

    static final ConfigKey<Integer> VERBOSITY = ConfigKey.builder("clash.verbosity", ValueType.integer("<n>", 0, 9))
            .flag("--debug")
            .env("CLASH_VERBOSITY")
            .defaultValue(0)
            .description("takes a flag that core already has")
            .build();

    @Override
    public String name() {
        return "clash";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(VERBOSITY);
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
