package dev.helloworld.core.host.probe;

/** A plugin built on a library class that PluginsTest leaves out of its jar, as a missing dependency. */
public class MissingDependencyProbe extends ProbeLibrary {

    @Override
    public String name() {
        return "needy";
    }
}
