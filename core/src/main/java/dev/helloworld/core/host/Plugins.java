package dev.helloworld.core.host;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/** Finds the plugins on the module path and the class path, in start order. */
public final class Plugins {

    /** Start order: ascending priority, then name, so that the order never depends on jar order. */
    public static final Comparator<Plugin> START_ORDER =
            Comparator.comparingInt(Plugin::priority).thenComparing(Plugin::name);

    /** Options that picocli gives every command, which no key may take. */
    private static final List<String> RESERVED = List.of("--help", "-h", "--version", "-V");

    /** ServiceLoader's recovery after a failure is best effort; never loop on one forever. */
    private static final int MAX_FAILURES = 1000;

    private Plugins() {}

    /**
     * Every provider of {@link Service} visible to {@code loader}: modules that declare
     * {@code provides}, and class path jars with {@code META-INF/services}. A provider that cannot be
     * used (its class does not load, its constructor throws, it has no name, its name or one of
     * its options is taken) is set aside in {@link Discovery#broken()} with why; the others are
     * unaffected. Of two plugins with the same name or option, the later in start order (then by
     * class name) is the broken one; core's options always win.
     */
    public static Discovery scan(ClassLoader loader) {
        List<Plugin> found = new ArrayList<>();
        List<BrokenPlugin> broken = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Iterator<ServiceLoader.Provider<Service>> providers = ServiceLoader.load(Service.class, loader).stream().iterator();
        for (int failures = 0; failures < MAX_FAILURES; ) {
            ServiceLoader.Provider<Service> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                LoadFailures.of(e, loader, seen).ifPresent(b -> {
                    seen.add(b.className());
                    broken.add(b);
                });
                failures++;
                continue;
            }
            Class<? extends Service> type = provider.type();
            String className = type.getName();
            seen.add(className);
            try {
                Service service = provider.get();
                Optional<String> problem = problem(service);
                if (problem.isPresent()) {
                    broken.add(new BrokenPlugin(className, LoadFailures.jarOf(type, loader), problem.get()));
                } else {
                    found.add(Plugin.of(service));
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                broken.add(new BrokenPlugin(className, LoadFailures.jarOf(type, loader), LoadFailures.reason(e, cause)));
            }
        }
        found.sort(START_ORDER.thenComparing(p -> p.service().getClass().getName()));
        List<Plugin> usable = withoutClashes(found, broken, loader);
        return new Discovery(usable, broken);
    }

    /**
     * The plugins of {@link #scan}, for embedding and tests: all or nothing.
     *
     * @throws PluginException naming the first broken plugin, if any
     */
    public static List<Plugin> discover(ClassLoader loader) {
        Discovery discovery = scan(loader);
        if (!discovery.broken().isEmpty()) {
            throw new PluginException(discovery.broken().get(0).message());
        }
        return discovery.plugins();
    }

    /** The plugins in {@link #START_ORDER}, refusing two with the same name. */
    public static List<Plugin> ordered(List<Plugin> plugins) {
        Map<String, Plugin> byName = new HashMap<>();
        for (Plugin p : plugins) {
            Plugin other = byName.putIfAbsent(p.name(), p);
            if (other != null) {
                throw new PluginException("two plugins are named '" + p.name() + "': "
                        + other.service().getClass().getName() + " (" + other.module() + ") and "
                        + p.service().getClass().getName() + " (" + p.module() + ")");
            }
        }
        return plugins.stream().sorted(START_ORDER).toList();
    }

    /** The core keys followed by every plugin's own, in start order. */
    public static List<ConfigKey<?>> configKeys(List<Plugin> plugins) {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        for (Plugin p : plugins) {
            keys.addAll(p.service().configKeys());
        }
        return keys;
    }

    /** What makes a created provider unusable by itself: a method the host calls that throws, or no name. */
    private static Optional<String> problem(Service service) {
        String name;
        try {
            name = service.name();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("its name() threw " + Failures.describeWithType(e));
        }
        if (name == null || name.isBlank()) {
            return Optional.of("its name() is " + (name == null ? "null" : "empty") + "; a plugin needs a name");
        }
        try {
            service.priority();
            if (service.configKeys() == null) {
                return Optional.of("its configKeys() is null");
            }
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("its configuration keys cannot be read: " + Failures.describeWithType(e));
        }
        return Optional.empty();
    }

    /**
     * {@code plugins} (in start order) less those whose name, or one of whose options, variables
     * or key names, an earlier plugin or core already has; those go to {@code broken}.
     */
    private static List<Plugin> withoutClashes(List<Plugin> plugins, List<BrokenPlugin> broken, ClassLoader loader) {
        Map<String, String> taken = new HashMap<>();
        RESERVED.forEach(option -> taken.put(option, "every command"));
        Keys.ALL.forEach(key -> names(key).forEach(n -> taken.put(n, "core")));
        Map<String, Plugin> byName = new HashMap<>();
        List<Plugin> usable = new ArrayList<>();
        for (Plugin p : plugins) {
            Class<?> type = p.service().getClass();
            Plugin namesake = byName.get(p.name());
            Optional<String> clash = namesake != null
                    ? Optional.of("its name '" + p.name() + "' is taken by " + namesake.service().getClass().getName()
                            + " in " + LoadFailures.jarOf(namesake.service().getClass(), loader))
                    : keyClash(p, taken);
            if (clash.isPresent()) {
                broken.add(new BrokenPlugin(type.getName(), LoadFailures.jarOf(type, loader), clash.get()));
                continue;
            }
            byName.put(p.name(), p);
            p.service().configKeys().forEach(key -> names(key).forEach(n -> taken.put(n, "plugin '" + p.name() + "'")));
            usable.add(p);
        }
        return usable;
    }

    private static Optional<String> keyClash(Plugin p, Map<String, String> taken) {
        Map<String, String> own = new HashMap<>();
        for (ConfigKey<?> key : p.service().configKeys()) {
            for (String n : names(key)) {
                String owner = taken.containsKey(n) ? taken.get(n) : own.get(n);
                if (owner != null) {
                    return Optional.of("its option or variable '" + n + "' (key " + key.name() + ") is already used by "
                            + owner);
                }
                own.put(n, "its own key " + key.name());
            }
        }
        return Optional.empty();
    }

    /** What a key takes on the command line and in the environment, and its name. */
    private static List<String> names(ConfigKey<?> key) {
        List<String> names = new ArrayList<>(List.of(key.name(), key.flag()));
        if (key.isSwitch()) {
            names.add("--no-" + key.flag().substring(2));
        }
        key.env().ifPresent(names::add);
        return names;
    }
}
