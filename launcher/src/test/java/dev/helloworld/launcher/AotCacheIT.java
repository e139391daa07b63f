package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache of a JDK 25 image (src/image/README.md, "Java 25"), in an unpacked copy: the first
 * clean run records, the second start makes the cache before the service starts and maps it, and
 * another set of plugin jars records and makes a cache of its own, which replaces the first. Skipped
 * for an image of an older JDK, which trains the plugins' archive instead (ImageIT).
 */
class AotCacheIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Map<String, String> CLEAN = Map.of("PATH", "/usr/bin:/bin");
    private static final String[] RUN = {"run", "--exporter", "none", "--http-port", "0", "--http-address", "127.0.0.1"};

    @TempDir
    Path dir;

    @Test
    void theFirstCleanRunRecordsTheSecondStartMapsTheCacheAndAnotherPluginSetRecordsAgain() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        int feature = ImageIT.runtimeFeature(home);
        assumeTrue(feature >= 25, "an image of JDK " + feature + " has no AOT cache");
        Path caches = home.resolve("lib/app-cds");

        long recorder = runUntilServingThenStop(home).pid();
        assertEquals(List.of(recorder + ".aotconf", recorder + ".ok"), suffixes(caches),
                "after the first clean run: the configuration its JVM wrote at exit, and the mark that keeps it");

        String cache = single(runUntilServingThenStop(home).mappedFrom(caches));
        assertTrue(cache.matches(".*/lib/app-cds/\\d+-\\d+-\\d+\\.aot"), "the cache made from it: " + cache);
        assertEquals(List.of("aot"), suffixes(caches), "the cache alone, the configuration used up");

        Files.delete(jar(home, "plugin-querier-"));
        long rerecorder = runUntilServingThenStop(home).pid();
        assertEquals(List.of(rerecorder + ".aotconf", rerecorder + ".ok", "aot"), suffixes(caches),
                "a run without the querier records its own configuration beside the first cache");
        String replacement = single(runUntilServingThenStop(home).mappedFrom(caches));
        assertNotEquals(cache, replacement, "another plugin set, another cache");
        assertEquals(List.of("aot"), suffixes(caches), "once the new cache is made, the old plugin set's is stale and gone");
    }

    /** A run that served: its pid, and the files its JVM mapped then (the JVM's own report, /proc/PID/maps). */
    private record Run(long pid, List<String> maps) {
        List<String> mappedFrom(Path folder) {
            return maps.stream().filter(l -> l.contains(folder + "/")).map(l -> l.substring(l.indexOf('/'))).distinct().toList();
        }
    }

    /** Starts {@code run}, waits until it serves, stops it with SIGTERM: exit 0, nothing on standard error. */
    private static Run runUntilServingThenStop(Path home) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, RUN)) {
            launcher.awaitStdout("[http] service started", START);
            Run run = new Run(launcher.pid(), Files.readAllLines(Path.of("/proc/" + launcher.pid() + "/maps")));
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error\n" + launcher.output());
            return run;
        }
    }

    private static String single(List<String> caches) {
        assertEquals(1, caches.size(), "one cache of lib/app-cds mapped: " + caches);
        return caches.get(0);
    }

    /** What follows the key in each file name of {@code dir}: {@code aot}, {@code <pid>.ok}, sorted. */
    private static List<String> suffixes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString().replaceFirst("^\\d+-\\d+-\\d+\\.", "")).sorted().toList();
        }
    }

    private static Path jar(Path home, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + home.resolve("plugins")));
        }
    }
}
