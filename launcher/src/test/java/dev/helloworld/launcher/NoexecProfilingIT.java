package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.testkit.PyroscopeReceiver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiling where the profiler's native library cannot be loaded (issue 28): a read-only container
 * whose /tmp is Docker's default --tmpfs, mounted noexec. Here the folder the library is unpacked
 * into is a noexec tmpfs of the test's own (mounting needs root; skipped otherwise). The service
 * says why in one warning, naming the folder and what to do, and runs on without profiling:
 * serves, stops with exit 0. (The container image loads the library from its lib/ instead:
 * ContainerEngineIT.)
 */
class NoexecProfilingIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aNoexecFolderForTheProfilersLibraryCostsProfilingNotTheService() throws Exception {
        Path noexec = dir.resolve("noexec");
        java.nio.file.Files.createDirectory(noexec);
        int mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "noexec,size=16m", "tmpfs", noexec.toString())
                .redirectErrorStream(true).start().waitFor();
        assumeTrue(mounted == 0, "cannot mount a noexec tmpfs here (needs root)");
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess service = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--exporter", "none", "--enable-profiling",
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-tmp-dir", noexec.toString(),
                        "--http-port", "0", "--http-address", "127.0.0.1")) {
            URI base = service.awaitHttpBase(PATIENCE);
            HelloClient client = new HelloClient(base);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(client.get().status());
            }
            // 500 is the seed's error demo, a share of the answers by design.
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 500),
                    "every request answered by the handler (200, or 500 from its error demo): " + statuses);
            service.terminate();
            assertEquals(0, service.awaitExit(PATIENCE), "exit code after SIGTERM\n" + service.output());

            List<String> why = service.stdout().stream().filter(l -> l.contains("running without profiling")).toList();
            assertEquals(1, why.size(), "one line saying why\n" + service.output());
            assertTrue(why.get(0).contains("[profiling]") && why.get(0).contains(noexec.toString())
                    && why.get(0).contains("failed to map segment") && why.get(0).contains("--profiling-tmp-dir"),
                    "the line names the plugin, the folder, the reason and the option: " + why.get(0));
            assertTrue(service.stdout().stream().noneMatch(l -> l.contains("ERROR") && !l.contains("[traces_random_error_demo]")),
                    "no error but the seed's error demo\n" + service.output());
            assertEquals(List.of(), pyroscope.uploads(), "no profile uploaded");
        } finally {
            // Lazily: the child JVM may still be exiting, and a busy mount would outlive the test.
            new ProcessBuilder("umount", "--lazy", noexec.toString()).inheritIO().start().waitFor();
        }
    }
}
