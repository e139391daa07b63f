package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain distribution's bin/launcher as a shell script: JAVA_OPTS with quotes, collector and heap options, CDPATH, on both paths. */
class DistScriptIT {

    private static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mode flag ''{0}''")
    @ValueSource(strings = {"", "--class-path"})
    void quotedJavaOptsReachTheJvmAsOneOptionWithNothingExpanded(String modeFlag) throws Exception {
        // -XshowSettings:properties lists the system properties on standard error, then runs the command.
        Map<String, String> env = Map.of("JAVA_OPTS", "-Dgreeting=\"hello world\" -Done='a b'  -Dstar=* -Dcmd=$(id) -XshowSettings:properties");
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env,
                LauncherProcess.inMode(modeFlag, "--version"))) {
            assertEquals(0, launcher.awaitExit(QUICK), launcher.output());
            List<String> properties = launcher.stderr().stream().map(String::strip).toList();
            for (String expected : List.of("greeting = hello world", "one = a b", "star = *", "cmd = $(id)")) {
                assertTrue(properties.contains(expected), "'" + expected + "' among the JVM's properties:\n" + launcher.output());
            }
            assertEquals("helloworld 0.1.0-SNAPSHOT", launcher.stdout().get(0), "the command ran");
        }
    }

    @ParameterizedTest(name = "mode flag ''{0}''")
    @ValueSource(strings = {"", "--class-path"})
    void anUnclosedQuoteInJavaOptsIsOneLineAndExitTwo(String modeFlag) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("JAVA_OPTS", "-Dgreeting=\"hello"),
                LauncherProcess.inMode(modeFlag, "--version"))) {
            assertEquals(2, launcher.awaitExit(QUICK), launcher.output());
            assertEquals(List.of("launcher: invalid value for JAVA_OPTS: a quote is not closed (expected options separated by"
                    + " spaces, a value with spaces in quotes: -Dgreeting=\"hello world\")"), launcher.stderr());
        }
    }

    @ParameterizedTest(name = "mode flag ''{0}''")
    @ValueSource(strings = {"", "--class-path"})
    void anExportedCdpathChangesNothing(String modeFlag) throws Exception {
        Path home = LauncherProcess.copyDist(dir, true);
        // cd prints the folder it found through CDPATH: the old script took that into $home.
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", System.getProperty("java.home"),
                "CDPATH", dir.toString());
        try (LauncherProcess launcher = LauncherProcess.exec(dir, Path.of(home.getFileName().toString(), "bin", "launcher"), env,
                LauncherProcess.inMode(modeFlag, "--version"))) {
            assertEquals(0, launcher.awaitExit(QUICK), launcher.output());
            assertEquals("helloworld 0.1.0-SNAPSHOT", launcher.stdout().get(0));
            assertEquals(List.of(), launcher.stderr(), "standard error");
        }
    }

    /**
     * What JAVA_OPTS leaves of the defaults (-XX:+UseSerialGC -Xmn12m -Xmx64m): a collector option
     * replaces the collector and the young generation, a heap option the sizes; the JVM refuses
     * two collectors, and G1 (a digit in its name) once made it refuse to start.
     */
    @ParameterizedTest(name = "JAVA_OPTS=''{0}''")
    @CsvSource({"'-XX:+UseG1GC', G1, 64M", "'-XX:+UseG1GC -Xmx48m', G1, 48M", "'-XX:+UseParallelGC -Xmx80m', Parallel, 80M",
            "'-Xmx96m', Serial, 96M", "'-XX:+UseStringDeduplication', Serial, 64M"})
    void aCollectorOrHeapOptionInJavaOptsReplacesItsDefaults(String javaOpts, String collector, String heap) throws Exception {
        Map<String, String> env = Map.of("JAVA_OPTS", javaOpts + " -Xlog:gc+init=info:stderr -Xlog:gc=info:stderr");
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env, "--version")) {
            assertEquals(0, launcher.awaitExit(QUICK), launcher.output());
            assertTrue(launcher.stderr().stream().anyMatch(l -> l.endsWith("Using " + collector)), collector + "\n" + launcher.output());
            assertTrue(launcher.stderr().stream().anyMatch(l -> l.endsWith("Heap Max Capacity: " + heap)), heap + "\n" + launcher.output());
        }
    }

}
