package dev.helloworld.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.host.probe.BrokenProbe;
import dev.helloworld.core.host.probe.EarlyProbe;
import dev.helloworld.core.host.probe.NameClashProbe;
import dev.helloworld.core.host.probe.ProbeService;
import dev.helloworld.core.spi.Service;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {

    private static final List<Class<? extends Service>> PROBES = List.of(ProbeService.class, EarlyProbe.class);

    @TempDir
    Path dir;

    @Test
    void theseTestsRunOnTheModulePathAsTheirPluginsWould() {
        assertTrue(getClass().getModule().isNamed(), "surefire put the tests on the class path");
        assertEquals("dev.helloworld.core", getClass().getModule().getName());
    }

    @Test
    void findsProvidersThatAModuleDeclaresWithProvides() {
        ClassLoader loader = SeparatePlugins.asModule("dev.helloworld.probe", "1.2.3", PROBES);
        List<Plugin> plugins = Plugins.discover(loader);
        assertEquals(List.of("early", "probe"), plugins.stream().map(Plugin::name).toList(), "in start order");
        Plugin probe = plugins.get(1);
        assertEquals("dev.helloworld.probe", probe.module());
        assertEquals("1.2.3", probe.version());
        assertEquals(150, probe.priority());
        assertNotSame(ProbeService.class, probe.service().getClass(), "loaded from the core module, not the plugin's");
    }

    @Test
    void findsProvidersListedInMetaInfServicesOnTheClassPath() {
        ClassLoader loader = SeparatePlugins.onClassPath(dir, PROBES, SeparatePlugins.names(PROBES));
        List<Plugin> plugins = Plugins.discover(loader);
        assertEquals(List.of("early", "probe"), plugins.stream().map(Plugin::name).toList(), "in start order");
        assertEquals("class path", plugins.get(1).module());
        assertEquals("unknown", plugins.get(1).version());
        assertEquals(loader, plugins.get(1).service().getClass().getClassLoader());
    }

    @Test
    void findsNothingWhereNoPluginIs() {
        assertEquals(List.of(), Plugins.discover(PluginsTest.class.getClassLoader()));
    }

    @Test
    void twoPluginsWithTheSameNameAreRefusedNamingBoth() {
        ClassLoader loader = SeparatePlugins.asModule("dev.helloworld.clash", "1",
                List.of(ProbeService.class, NameClashProbe.class));
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(loader));
        assertEquals("two plugins are named 'probe': dev.helloworld.core.host.probe.ProbeService "
                + "(dev.helloworld.clash) and dev.helloworld.core.host.probe.NameClashProbe (dev.helloworld.clash)",
                e.getMessage());
    }

    @Test
    void twoPluginsWithTheSameNameAreRefusedOnTheClassPathToo() {
        List<Class<? extends Service>> classes = List.of(NameClashProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(loader));
        assertEquals("two plugins are named 'probe': dev.helloworld.core.host.probe.NameClashProbe (class path) "
                + "and dev.helloworld.core.host.probe.ProbeService (class path)", e.getMessage());
    }

    @Test
    void aPluginThatCannotBeCreatedIsReportedWithItsCause() {
        ClassLoader loader = SeparatePlugins.asModule("dev.helloworld.broken", "1", List.of(BrokenProbe.class));
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(loader));
        assertEquals("a plugin could not be loaded: needs io.pyroscope.agent, which is not in lib/", e.getMessage());
    }

    @Test
    void aServicesFileNamingAMissingClassIsReported() {
        ClassLoader loader = SeparatePlugins.onClassPath(dir, List.of(),
                List.of("dev.helloworld.core.host.probe.NotThere"));
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(loader));
        assertEquals("a plugin could not be loaded: dev.helloworld.core.spi.Service: "
                + "Provider dev.helloworld.core.host.probe.NotThere not found", e.getMessage());
    }

    @Test
    void aDiscoveredPluginsKeysAreResolvedAfterTheCoreKeys() throws Exception {
        List<Plugin> plugins = Plugins.discover(SeparatePlugins.asModule("dev.helloworld.keys", "1", PROBES));
        List<ConfigKey<?>> keys = Plugins.configKeys(plugins);
        assertEquals(Keys.ALL, keys.subList(0, Keys.ALL.size()));
        assertEquals(List.of("probe.level"), keys.subList(Keys.ALL.size(), keys.size()).stream()
                .map(ConfigKey::name).toList());
        ConfigKey<?> level = keys.get(keys.size() - 1);
        Config config = Config.resolve(keys, Map.of(), Map.of("PROBE_LEVEL", "7"));
        assertEquals(7, config.get(level));
        assertEquals("env PROBE_LEVEL", config.origin(level).toString());
    }

    @Test
    void aDiscoveredPluginRunsInAHost() throws Exception {
        List<Plugin> plugins = Plugins.discover(SeparatePlugins.asModule("dev.helloworld.run", "1", PROBES));
        Config config = Config.resolve(Plugins.configKeys(plugins), Map.of(), Map.of());
        ServiceHost host = new ServiceHost(plugins, config);
        host.start();
        host.stop();
        assertTrue(host.stoppedCleanly());
    }

    @Test
    void orderedSortsByPriorityThenName() {
        Journal journal = new Journal();
        List<Plugin> plugins = List.of(new ScriptedService("b", 200, journal).plugin(),
                new ScriptedService("c", 100, journal).plugin(), new ScriptedService("a", 200, journal).plugin());
        assertEquals(List.of("c", "a", "b"), Plugins.ordered(plugins).stream().map(Plugin::name).toList());
    }

    @Test
    void aPluginReportsItsServicesDisabledReason() throws Exception {
        Journal journal = new Journal();
        Config config = Config.of(Keys.ALL, Map.of());
        assertEquals(Optional.of("profiling off"),
                new ScriptedService("p", 1, journal).disabledBecause("profiling off").plugin().disabledReason(config));
        assertEquals(Optional.empty(), new ScriptedService("q", 1, journal).plugin().disabledReason(config));
    }
}
