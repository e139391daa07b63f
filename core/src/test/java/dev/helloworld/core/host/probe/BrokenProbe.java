package dev.helloworld.core.host.probe;

import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;

/** A plugin whose constructor fails, as one with a missing dependency would. */
public class BrokenProbe implements Service {

    public BrokenProbe() {
        throw new IllegalStateException("needs io.pyroscope.agent, which is not in lib/");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
