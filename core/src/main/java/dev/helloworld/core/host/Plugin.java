package dev.helloworld.core.host;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.spi.Service;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Optional;

/**
 * A discovered {@link Service} with where it came from, as {@code launcher plugins} shows it.
 *
 * @param service the provider instance
 * @param module  the module's name, or {@code "class path"}
 * @param version the module's or jar's version, or {@code "unknown"}
 */
public record Plugin(Service service, String module, String version) {

    /**
     * The version is the module's ({@code jar --module-version}, or an automatic module's file
     * name), else the manifest's {@code Implementation-Version}, else, for a jar on the class path,
     * the version in its {@code module-info.class}, which the class path ignores: so that a plugin
     * jar shows the same version on both paths.
     */
    static Plugin of(Service service) {
        Class<?> type = service.getClass();
        Module module = type.getModule();
        Optional<String> version = module.isNamed()
                ? module.getDescriptor().rawVersion()
                : Optional.empty();
        String implementationVersion = type.getPackage().getImplementationVersion();
        return new Plugin(service,
                module.isNamed() ? module.getName() : "class path",
                version.or(() -> Optional.ofNullable(implementationVersion))
                        .or(() -> module.isNamed() ? Optional.empty() : jarModuleVersion(type))
                        .orElse("unknown"));
    }

    /** The module version recorded in the jar that {@code type} was loaded from, if any. */
    private static Optional<String> jarModuleVersion(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            return ModuleFinder.of(jar).findAll().stream().findFirst()
                    .flatMap(reference -> reference.descriptor().rawVersion());
        } catch (URISyntaxException | RuntimeException e) {
            // Not a readable jar (FindException, a non-file URL): the version stays unknown.
            return Optional.empty();
        }
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
