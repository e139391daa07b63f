package dev.helloworld.core.host.probe;

import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;

/** A plugin without a name. */
public class NullNameProbe implements Service {

    @Override
    public String name() {
        return null;
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
