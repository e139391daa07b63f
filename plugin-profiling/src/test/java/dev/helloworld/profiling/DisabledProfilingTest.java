package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs in a JVM of its own (see the pom), so that "nothing native was loaded" means something. */
class DisabledProfilingTest {

    private static final Path MAPS = Path.of("/proc/self/maps");

    @Test
    void isFoundByServiceLoaderAsTheProfilingPlugin() {
        List<Plugin> plugins = Plugins.discover(ProfilingService.class.getClassLoader());
        Plugin plugin = plugins.stream().filter(p -> p.name().equals("profiling")).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin named profiling among " + plugins));
        assertEquals(ProfilingService.class, plugin.service().getClass());
        assertEquals(200, plugin.priority());
        assertEquals("dev.helloworld.profiling", plugin.module(), "found on the module path, through provides");
    }

    @Test
    void isDisabledAsProfilingOffAndLoadsNoNativeCode() throws Exception {
        Map<String, String> flags = Map.of("enable.profiling", "false", "profiling.endpoint", "http://127.0.0.1:9");
        assertEquals(Optional.of("profiling off"), new ProfilingService().disabledReason(TestHosts.config(flags)));
        assertEquals(Optional.empty(), new ProfilingService().disabledReason(TestHosts.config(Map.of("enable.profiling", "true"))));

        TestHosts.Console console = new TestHosts.Console();
        try (ServiceHost host = TestHosts.host(flags)) {
            host.start();
        }
        assertEquals(List.of(), console.lines("WARNING"), console.text());
        assertEquals(1, console.lines("INFO: [profiling] disabled (profiling off)").size(), console.text());
        assumeTrue(Files.isReadable(MAPS), "needs Linux's /proc to look at loaded libraries");
        assertFalse(Files.readString(MAPS).contains("asyncProfiler"), "async-profiler's library is mapped:\n"
                + Files.readString(MAPS).lines().filter(l -> l.contains("asyncProfiler")).toList());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("profiling-")),
                "no profiling threads");
    }
}
