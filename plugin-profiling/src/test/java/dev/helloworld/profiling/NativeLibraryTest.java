package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.pyroscope.javaagent.PyroscopeAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the native library comes from. A JVM of its own (see the pom), in a fixed order: the
 * library loads once per process, so the failure has to be seen before the success.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeLibraryTest {

    @Test
    @Order(1)
    void aTmpDirThatCannotHoldTheLibraryLeavesTheServiceRunningWithoutProfilingSayingWhyOnce(@TempDir Path dir)
            throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("file"), "x").resolve("sub");
        TestHosts.Console console = new TestHosts.Console();
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(),
                        Map.of(ProfilingKeys.TMP_DIR.name(), notAFolder.toString())))) {
            host.start();
            List<String> why = console.lines("running without profiling");
            assertEquals(1, why.size(), "one line saying why\n" + console.text());
            assertTrue(why.get(0).contains("cannot create a folder in " + notAFolder), why.get(0));
            assertTrue(why.get(0).contains("set --profiling-tmp-dir or PYROSCOPE_TMP_DIR to a writable folder"), why.get(0));
            assertFalse(PyroscopeAgent.isStarted(), "no agent started without its library");
        }
    }

    @Test
    @Order(2)
    void loadsTheLibraryFromTheConfiguredFolderAndLeavesNothingThere(@TempDir Path dir) throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(),
                        Map.of(ProfilingKeys.TMP_DIR.name(), dir.toString())))) {
            host.start();
            try (Stream<Path> left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), "files left in the tmp dir once the library is loaded");
            }
            Path maps = Path.of("/proc/self/maps");
            assumeTrue(Files.isReadable(maps), "needs Linux's /proc to see where the library was mapped from");
            List<String> mapped = Files.readAllLines(maps).stream().filter(l -> l.contains("libasyncProfiler")).toList();
            assertTrue(!mapped.isEmpty() && mapped.stream().allMatch(l -> l.contains(dir + "/helloworld-profiler-")),
                    "async-profiler mapped from " + dir + ", got " + mapped);
        }
    }
}
