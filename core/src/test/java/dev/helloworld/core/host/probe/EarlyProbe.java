package dev.helloworld.core.host.probe;

import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;

/** A second plugin, which starts before {@link ProbeService}. */
public class EarlyProbe implements Service {

    @Override
    public String name() {
        return "early";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
