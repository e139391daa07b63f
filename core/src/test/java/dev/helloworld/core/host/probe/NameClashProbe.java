package dev.helloworld.core.host.probe;

import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;

/** A plugin that takes the name of {@link ProbeService}. */
public class NameClashProbe implements Service {

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
