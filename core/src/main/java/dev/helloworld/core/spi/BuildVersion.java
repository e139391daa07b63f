package dev.helloworld.core.spi;

import java.util.Optional;

/**
 * The version a class was built with: its module's version on the module path, its jar's
 * Implementation-Version on the class path. For instrumentation scopes, which name the code that
 * records, and so carry the version of the build.
 */
public final class BuildVersion {

    private BuildVersion() {}

    /** The version of {@code type}'s build, or {@code unknown} when neither says. */
    public static String of(Class<?> type) {
        Module module = type.getModule();
        return (module.isNamed() ? module.getDescriptor().rawVersion() : Optional.<String>empty())
                .or(() -> Optional.ofNullable(type.getPackage().getImplementationVersion()))
                .orElse("unknown");
    }
}
