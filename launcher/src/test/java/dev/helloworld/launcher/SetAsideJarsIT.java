package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Jars that are not jars, as users drop them next to good plugins: an empty file, a page saved as
 * .jar, a truncated download, a copy under another name and another version of the same plugin.
 * On the module path each of them used to stop the JVM before the launcher ran, for every command;
 * on the class path they were skipped without a word. Now {@code bin/launcher} sets them aside:
 * {@code --version}, {@code --help}, {@code plugins} and {@code run} work, and {@code plugins}
 * lists each with why.
 */
class SetAsideJarsIT {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final String NOT_A_JAR = "not a jar: no zip directory at its end (truncated, or not a zip file)";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mode flag ''{0}''")
    @ValueSource(strings = {"", "--class-path"})
    void badJarsInLibAndInLauncherPluginsAreListedAndTheRestRuns(String modeFlag) throws Exception {
        Path home = LauncherProcess.copyDist(dir, true);
        Path lib = home.toRealPath().resolve("lib");
        Path sample = Files.copy(LauncherProcess.samplePluginJar(), lib.resolve("plugin-sample.jar"));
        Path extra = Files.createDirectories(dir.resolve("extra")).toRealPath();
        Map<String, String> expected = badJars(lib, extra, sample);
        Map<String, String> env = Map.of("LAUNCHER_PLUGINS", extra.toString());

        assertEquals("helloworld 0.1.0-SNAPSHOT", succeed(home, env, LauncherProcess.inMode(modeFlag, "--version")).get(0));
        assertTrue(succeed(home, env, LauncherProcess.inMode(modeFlag, "run", "--help")).get(0).startsWith("Usage: launcher run"));
        List<String> plugins = succeed(home, env, LauncherProcess.inMode(modeFlag, "plugins"));
        assertTrue(plugins.get(1).matches("sample +.+ +0\\.1\\.0-SNAPSHOT +500 +enabled"), "the good plugin:\n" + plugins);
        List<String> rows = plugins.subList(2, plugins.size()).stream().map(r -> List.of(r.split(" {2,}")).get(4)).toList();
        assertEquals(expected.entrySet().stream().map(e -> "broken: jar " + e.getKey() + ": " + e.getValue()).sorted().toList(),
                rows.stream().sorted().toList(), "a row per jar set aside, with why");

        try (LauncherProcess launcher = LauncherProcess.start(home, env,
                LauncherProcess.inMode(modeFlag, "run", "--sample-greeting", "still here"))) {
            launcher.awaitStdout("[sample] service started", QUICK);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(QUICK), "run serves the rest\n" + launcher.output());
            for (Map.Entry<String, String> jar : expected.entrySet()) {
                launcher.awaitStdout("WARNING: [launcher] jar " + jar.getKey() + " is not used: " + jar.getValue(), Duration.ZERO);
            }
            assertEquals(List.of(), launcher.stderr(), "standard error of run");
        }
    }

    @Test
    void theRuntimeImageSetsThemAsideToo() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir).toRealPath();
        Path extra = Files.createDirectories(dir.resolve("extra")).toRealPath();
        Path plugins = home.resolve("plugins");
        Path otlp;
        try (var jars = Files.list(plugins)) {
            otlp = jars.filter(p -> p.getFileName().toString().matches("plugin-otlp-.*\\.jar")).findFirst().orElseThrow();
        }
        Map<String, String> expected = badJars(plugins, extra, otlp);
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "LAUNCHER_PLUGINS", extra.toString());
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env, "plugins")) {
            assertEquals(0, launcher.awaitExit(QUICK), launcher.output());
            List<String> broken = launcher.stdout().stream().filter(l -> l.contains("broken: jar ")).toList();
            assertEquals(expected.size(), broken.size(), "a row per jar set aside:\n" + launcher.output());
            // On the class path on JDK 17 (src/image/README.md), on the module path on 25.
            String module = ImageIT.runtimeFeature(home) >= 25 ? "dev\\.helloworld\\.otlp" : "class path";
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.matches("otlp +" + module + " .*")), launcher.output());
        }
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env,
                "run", "--exporter", "none", "--http-port", "0", "--http-address", "127.0.0.1")) {
            launcher.awaitHttpBase(QUICK);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(QUICK), "run serves the rest\n" + launcher.output());
        }
    }

    /**
     * Writes the bad jars next to {@code good} (in {@code folder}) and into {@code extra}, and
     * returns each one's path with the reason the launcher must give.
     */
    private static Map<String, String> badJars(Path folder, Path extra, Path good) throws IOException {
        Map<String, String> expected = new java.util.TreeMap<>();
        Path empty = Files.createFile(folder.resolve("empty.jar"));
        expected.put(empty.toString(), "the file is empty");
        Path page = Files.writeString(folder.resolve("download.jar"), "<html><body>404 Not Found</body></html>\n");
        expected.put(page.toString(), NOT_A_JAR);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(extra.resolve("truncated.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        expected.put(truncated.toString(), NOT_A_JAR);
        // After the original in the module path's order: lib/ (plugins/) first, then LAUNCHER_PLUGINS.
        Path copy = Files.copy(good, extra.resolve("copy of it.jar"));
        expected.put(copy.toString(), "a copy of " + good + ", which is used");
        String name = good.getFileName().toString();
        String base = name.replaceFirst("(-[0-9].*)?\\.jar$", "");
        Path other = extra.resolve(base + "-9.9.jar");
        rewrite(good, other);
        expected.put(other.toString(), "another version of " + good + " (the same name up to the version), which is used");
        return expected;
    }

    /** The same entries in a new jar, plus one: another build of the same module. */
    private static void rewrite(Path from, Path to) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(from));
                JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), in.getManifest())) {
            for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                out.putNextEntry(new JarEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("BUILD-NOTE.txt"));
            out.write("another build\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static List<String> succeed(Path home, Map<String, String> env, String... args) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, env, args)) {
            assertEquals(0, launcher.awaitExit(QUICK), "exit code of launcher " + String.join(" ", args) + "\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error of launcher " + String.join(" ", args));
            return launcher.stdout();
        }
    }

}
