package dev.helloworld.core.host;

import dev.helloworld.core.spi.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Loads the test plugins of {@code dev.helloworld.core.host.probe} the way a plugin jar would be
 * loaded, instead of from the core module they are compiled into.
 *
 * <p>Surefire runs these tests on the module path with the test classes patched into
 * {@code dev.helloworld.core}, and {@link java.util.ServiceLoader} ignores a
 * {@code META-INF/services} entry whose class lies in a named module. So a services file in
 * {@code src/test/resources} would find nothing, and the core module cannot gain a
 * {@code provides} for tests. Instead: a module layer with a descriptor that says {@code provides}
 * (module path), or a class loader of its own with a services file (class path).
 */
final class SeparatePlugins {

    static final String PACKAGE = "dev.helloworld.core.host.probe";

    private SeparatePlugins() {}

    /** A module {@code name} that {@code provides Service with providers}, in a layer of its own. */
    static ClassLoader asModule(String name, String version, List<Class<? extends Service>> providers) {
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(name)
                .requires(Service.class.getModule().getName())
                .packages(Set.of(PACKAGE))
                .provides(Service.class.getName(), providers.stream().map(Class::getName).toList())
                .version(version)
                .build();
        ModuleReference reference = new ModuleReference(descriptor, null) {
            @Override
            public ModuleReader open() {
                return new ClassBytesReader();
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String moduleName) {
                return moduleName.equals(name) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        ModuleLayer parent = Service.class.getModule().getLayer();
        Configuration configuration = parent.configuration().resolve(finder, ModuleFinder.of(), Set.of(name));
        ModuleLayer layer = parent.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader());
        return layer.findLoader(name);
    }

    /**
     * A class loader over {@code dir} holding copies of the providers' classes and a
     * {@code META-INF/services} file listing {@code listed}, as a plugin jar on the class path has.
     */
    static ClassLoader onClassPath(Path dir, List<Class<? extends Service>> classes, List<String> listed) {
        try {
            for (Class<?> type : classes) {
                Path file = dir.resolve(resourceName(type.getName()));
                Files.createDirectories(file.getParent());
                try (InputStream in = classBytes(resourceName(type.getName()))) {
                    Files.copy(in, file);
                }
            }
            Path services = dir.resolve("META-INF/services/" + Service.class.getName());
            Files.createDirectories(services.getParent());
            Files.writeString(services, "# test plugins\n" + String.join("\n", listed) + "\n");
            return new ChildFirst(new URL[] {dir.toUri().toURL()});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Rewrites the copy of {@code type} that {@link #onClassPath} put in {@code dir} as a class file
     * of {@code major} (61 is Java 17), as if compiled for a newer Java.
     */
    static void withClassFileVersion(Path dir, Class<?> type, int major) {
        Path file = dir.resolve(resourceName(type.getName()));
        try {
            byte[] bytes = Files.readAllBytes(file);
            // u4 magic, u2 minor, u2 major
            bytes[6] = (byte) (major >> 8);
            bytes[7] = (byte) major;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resourceName(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static InputStream classBytes(String resource) throws IOException {
        InputStream in = ServiceHost.class.getModule().getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("no " + resource + " in the test classes");
        }
        return in;
    }

    /** Serves the probe package's class files out of the test classes. */
    private static final class ClassBytesReader implements ModuleReader {
        @Override
        public Optional<URI> find(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            return Optional.ofNullable(ServiceHost.class.getModule().getResourceAsStream(name));
        }

        @Override
        public Stream<String> list() {
            return Stream.empty();
        }

        @Override
        public void close() {}
    }

    /**
     * Defines the probe package itself: asked first, the application class loader would return the
     * copy in the core module, which ServiceLoader skips on the class path.
     */
    private static final class ChildFirst extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        ChildFirst(URL[] urls) {
            super(urls, ClassLoader.getSystemClassLoader());
        }

        /** The copies' class files too, so that a class that fails to load is found in this folder. */
        @Override
        public URL getResource(String name) {
            URL own = name.startsWith(PACKAGE.replace('.', '/') + "/") ? findResource(name) : null;
            return own != null ? own : super.getResource(name);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    /** The names of {@code classes}, for a services file. */
    static List<String> names(List<Class<? extends Service>> classes) {
        return classes.stream().map(Class::getName).collect(Collectors.toList());
    }
}
