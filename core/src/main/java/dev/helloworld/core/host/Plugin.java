package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.spi.Service;
import java.util.Optional;

/**
 * A discovered {@link Service} with where it came from, as {@code launcher plugins} shows it.
 *
 * @param service the provider instance
 * @param module  the module's name, or {@code "class path"}
 * @param version the module's or jar's version, or {@code "unknown"}
 */
public record Plugin(Service service, String module, String version) {

    static Plugin of(Service service) {
        Class<?> type = service.getClass();
        Module module = type.getModule();
        Optional<String> version = module.isNamed()
                ? module.getDescriptor().rawVersion()
                : Optional.empty();
        String implementationVersion = type.getPackage().getImplementationVersion();
        return new Plugin(service,
                module.isNamed() ? module.getName() : "class path",
                version.or(() -> Optional.ofNullable(implementationVersion)).orElse("unknown"));
    }

    public String name() {
        return service.name();
    }

    public int priority() {
        return service.priority();
    }

    /** Why the plugin will not run with {@code config}; empty when it will. */
    public Optional<String> disabledReason(Config config) {
        return service.disabledReason(config);
    }
}
