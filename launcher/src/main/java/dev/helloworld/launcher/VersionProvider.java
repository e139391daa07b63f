package dev.helloworld.launcher;

import picocli.CommandLine.IVersionProvider;

/** {@code launcher --version}: our version from the module descriptor or the jar, and the JVM's. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
            "helloworld " + version(),
            "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    static String version() {
        Module module = VersionProvider.class.getModule();
        return (module.isNamed() ? module.getDescriptor().rawVersion() : java.util.Optional.<String>empty())
                .or(() -> java.util.Optional.ofNullable(VersionProvider.class.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }
}
