package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A plugin is enabled by putting its jar in lib/ and disabled by taking it out, on both paths. */
class PluginDiscoveryIT {

    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"module path, '', dev.helloworld.sample", "class path, --class-path, class path"})
    void aPluginJarDroppedIntoLibIsListedAndForgottenWhenRemoved(String path, String modeFlag, String module)
            throws Exception {
        Path home = LauncherProcess.copyDist(dir, true);
        assertEquals(List.of("NAME  MODULE  VERSION  PRIORITY  STATUS", "(no plugins found: put plugin jars in lib/, or plugins/ in the runtime image)"),
                plugins(home, modeFlag), "a dist without plugin jars lists none");

        Path jar = home.resolve("lib").resolve(LauncherProcess.samplePluginJar().getFileName());
        Files.copy(LauncherProcess.samplePluginJar(), jar);
        List<String> listed = plugins(home, modeFlag);
        assertEquals(2, listed.size(), "header and one plugin expected, got " + listed);
        assertEquals(List.of("sample", module, "0.1.0-SNAPSHOT", "500", "enabled"),
                List.of(listed.get(1).split(" {2,}")), "the sample plugin's row");

        Files.delete(jar);
        assertEquals(1 + 1, plugins(home, modeFlag).size(), "the plugin is gone once its jar is");
        assertTrue(plugins(home, modeFlag).get(1).startsWith("(no plugins found"), "no plugin row left");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"module path, ''", "class path, --class-path"})
    void aPluginsOwnOptionsAreOnTheCommandLineAndInTheConfig(String path, String modeFlag) throws Exception {
        Path home = LauncherProcess.copyDist(dir, true);
        Files.copy(LauncherProcess.samplePluginJar(), home.resolve("lib").resolve("plugin-sample.jar"));

        List<String> help = run(home, Map.of(), modeFlag, "run", "--help");
        assertTrue(help.stream().anyMatch(l -> l.contains("--sample-greeting=<text>")),
                "run --help should offer the plugin's option:\n" + String.join("\n", help));

        List<String> config = run(home, Map.of("SAMPLE_FAIL", "none"), modeFlag, "config", "--sample-greeting", "hi there");
        assertTrue(config.stream().anyMatch(l -> l.matches("--sample-greeting +SAMPLE_GREETING +hi there +flag --sample-greeting")),
                "config should show the flag's value and source:\n" + String.join("\n", config));
        assertTrue(config.stream().anyMatch(l -> l.matches("--sample-fail +SAMPLE_FAIL +none +env SAMPLE_FAIL")),
                "config should show the variable's value and source:\n" + String.join("\n", config));
    }

    /**
     * The build's own dist, untouched: a plugin kept outside target/ (which {@code ./mvnw package}
     * makes afresh) joins the bundled ones when LAUNCHER_PLUGINS names its folder.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"module path, '', dev.helloworld.sample", "class path, --class-path, class path"})
    void aPluginInAFolderNamedByLauncherPluginsJoinsTheBundledOnes(String path, String modeFlag, String module)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve("my plugins"));
        Files.copy(LauncherProcess.samplePluginJar(), folder.resolve("plugin-sample.jar"));

        List<String> listed = run(LauncherProcess.dist(), Map.of("LAUNCHER_PLUGINS", folder.toString()), modeFlag, "plugins");
        List<List<String>> rows = listed.subList(1, listed.size()).stream().map(l -> List.of(l.split(" {2,}"))).toList();
        assertEquals(List.of("otlp", "profiling", "scenarios", "http", "querier", "topology", "sample"), rows.stream().map(r -> r.get(0)).toList(),
                "the bundled plugins and the one from LAUNCHER_PLUGINS: " + listed);
        assertEquals(List.of("sample", module, "0.1.0-SNAPSHOT", "500", "enabled"), rows.get(6), "the sample plugin's row");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"module path, ''", "class path, --class-path"})
    void aLauncherPluginsFolderThatDoesNotExistIsOneLineAndExitTwo(String path, String modeFlag) throws Exception {
        String missing = dir.resolve("no-such-folder").toString();
        String[] args = modeFlag.isEmpty() ? new String[] {"plugins"} : new String[] {modeFlag, "plugins"};
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("LAUNCHER_PLUGINS", missing), args)) {
            assertEquals(2, launcher.awaitExit(QUICK), launcher.output());
            assertEquals(List.of("launcher: invalid value '" + missing
                    + "' in LAUNCHER_PLUGINS: expected existing folders of plugin jars, separated by ':'"), launcher.stderr());
        }
    }

    private static List<String> plugins(Path home, String modeFlag) throws Exception {
        return run(home, Map.of(), modeFlag, "plugins");
    }

    private static List<String> run(Path home, Map<String, String> env, String modeFlag, String... args) throws Exception {
        String[] all = modeFlag.isEmpty() ? args : prepend(modeFlag, args);
        try (LauncherProcess launcher = LauncherProcess.start(home, env, all)) {
            int code = launcher.awaitExit(QUICK);
            assertEquals(0, code, "exit code of launcher " + String.join(" ", all) + "\n" + launcher.output());
            return launcher.stdout();
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
