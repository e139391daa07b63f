package dev.helloworld.core.host;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.Service;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Finds the plugins on the module path and the class path, in start order. */
public final class Plugins {

    /** Start order: ascending priority, then name, so that the order never depends on jar order. */
    public static final Comparator<Plugin> START_ORDER =
            Comparator.comparingInt(Plugin::priority).thenComparing(Plugin::name);

    private Plugins() {}

    /**
     * Every provider of {@link Service} visible to {@code loader}: modules that declare
     * {@code provides}, and class path jars with {@code META-INF/services}.
     *
     * @throws PluginException when a provider cannot be instantiated or two share a name
     */
    public static List<Plugin> discover(ClassLoader loader) {
        List<Plugin> plugins = new ArrayList<>();
        try {
            for (Service service : ServiceLoader.load(Service.class, loader)) {
                plugins.add(Plugin.of(service));
            }
        } catch (ServiceConfigurationError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new PluginException("a plugin could not be loaded: " + Failures.describe(cause), e);
        }
        return ordered(plugins);
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
}
