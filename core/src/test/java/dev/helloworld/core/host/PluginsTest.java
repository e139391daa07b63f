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
import dev.helloworld.core.host.probe.MissingDependencyProbe;
import dev.helloworld.core.host.probe.NameClashProbe;
import dev.helloworld.core.host.probe.NullNameProbe;
import dev.helloworld.core.host.probe.OptionClashProbe;
import dev.helloworld.core.host.probe.ProbeLibrary;
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
    void ofTwoPluginsWithTheSameNameTheLaterInStartOrderIsSetAsideNamingTheOther() {
        ClassLoader loader = SeparatePlugins.asModule("dev.helloworld.clash", "1",
                List.of(ProbeService.class, NameClashProbe.class));
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "usable plugins");
        assertEquals(ProbeService.class.getName(), found.plugins().get(0).service().getClass().getName());
        BrokenPlugin broken = single(found);
        assertEquals(NameClashProbe.class.getName(), broken.className());
        assertTrue(broken.reason().startsWith("its name 'probe' is taken by " + ProbeService.class.getName()), broken.reason());
    }

    @Test
    void ofTwoPluginsWithTheSameNameOnTheClassPathTheLaterIsSetAsideNamingItsJar() {
        List<Class<? extends Service>> classes = List.of(NameClashProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        BrokenPlugin broken = single(Plugins.scan(loader));
        assertEquals(new BrokenPlugin(NameClashProbe.class.getName(), dir.toString(),
                "its name 'probe' is taken by " + ProbeService.class.getName() + " in " + dir.toString()), broken);
        PluginException e = assertThrows(PluginException.class, () -> Plugins.discover(loader));
        assertEquals(broken.message(), e.getMessage(), "discover is all or nothing");
    }

    @Test
    void aPluginWhoseConstructorThrowsIsSetAsideWithTheClassAndTheCause() {
        List<Class<? extends Service>> classes = List.of(BrokenProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "the other plugin is unaffected");
        assertEquals(new BrokenPlugin(BrokenProbe.class.getName(), dir.toString(),
                "its constructor threw IllegalStateException: needs io.pyroscope.agent, which is not in lib/"), single(found));
    }

    @Test
    void aPluginWhoseConstructorThrowsIsSetAsideOnTheModulePathToo() {
        ClassLoader loader = SeparatePlugins.asModule("dev.helloworld.broken", "1", List.of(BrokenProbe.class, ProbeService.class));
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "the other plugin is unaffected");
        BrokenPlugin broken = single(found);
        assertEquals(BrokenProbe.class.getName(), broken.className());
        assertEquals("its constructor threw IllegalStateException: needs io.pyroscope.agent, which is not in lib/", broken.reason());
    }

    @Test
    void aServicesFileNamingAMissingClassIsReportedWithTheJarThatListsIt() {
        ClassLoader loader = SeparatePlugins.onClassPath(dir, List.of(),
                List.of("dev.helloworld.core.host.probe.NotThere"));
        assertEquals(new BrokenPlugin("dev.helloworld.core.host.probe.NotThere",
                dir.resolve("META-INF/services/" + Service.class.getName()).toString(),
                "the class is not in the jar that lists it"), single(Plugins.scan(loader)));
    }

    @Test
    void aPluginMissingALibraryClassIsSetAsideNamingTheMissingClass() {
        List<Class<? extends Service>> classes = List.of(MissingDependencyProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "the other plugin is unaffected");
        assertEquals(new BrokenPlugin(MissingDependencyProbe.class.getName(), classFile(MissingDependencyProbe.class),
                "needs the class " + ProbeLibrary.class.getName() + ", which no jar here has (a missing dependency?)"),
                single(found));
    }

    @Test
    void aPluginCompiledForANewerJavaIsSetAsideSayingSo() {
        List<Class<? extends Service>> classes = List.of(EarlyProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        SeparatePlugins.withClassFileVersion(dir, EarlyProbe.class, 99);
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "the other plugin is unaffected");
        BrokenPlugin broken = single(found);
        assertEquals(EarlyProbe.class.getName(), broken.className());
        assertEquals(classFile(EarlyProbe.class), broken.jar());
        assertTrue(broken.reason().matches("compiled for a newer Java \\(class file version 99\\.0; this Java \\d+ reads up to \\d+\\.0\\)"),
                broken.reason());
    }

    @Test
    void aPluginWithoutANameIsSetAside() {
        List<Class<? extends Service>> classes = List.of(NullNameProbe.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        assertEquals(new BrokenPlugin(NullNameProbe.class.getName(), dir.toString(),
                "its name() is null; a plugin needs a name"), single(Plugins.scan(loader)));
    }

    @Test
    void aPluginWhoseOptionTakesACoreFlagIsSetAsideAndTheCoreFlagKept() {
        List<Class<? extends Service>> classes = List.of(OptionClashProbe.class, ProbeService.class);
        ClassLoader loader = SeparatePlugins.onClassPath(dir, classes, SeparatePlugins.names(classes));
        Discovery found = Plugins.scan(loader);
        assertEquals(List.of("probe"), found.plugins().stream().map(Plugin::name).toList(), "the other plugin is unaffected");
        assertEquals(new BrokenPlugin(OptionClashProbe.class.getName(), dir.toString(),
                "its option or variable '--debug' (key clash.verbosity) is already used by core"), single(found));
    }

    private static BrokenPlugin single(Discovery found) {
        assertEquals(1, found.broken().size(), "one broken plugin: " + found.broken());
        return found.broken().get(0);
    }

    /**
     * Where {@link SeparatePlugins#onClassPath} put the class file of {@code type}: what names the
     * "jar" of a class that could not be loaded (a loaded one is named by its folder, as a jar would be).
     */
    private String classFile(Class<?> type) {
        return dir.resolve(type.getName().replace('.', '/') + ".class").toString();
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
