package dev.helloworld.core.host.probe;

import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;

/** Stands for a third-party library that a plugin needs; see {@link MissingDependencyProbe}. */
public abstract class ProbeLibrary implements Service {

    @Override
    public void start(ServiceContext context) {}

    @Override
    public void stop() {}
}
