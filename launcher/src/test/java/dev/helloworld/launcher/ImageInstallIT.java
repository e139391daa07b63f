package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image installed the ways users and packagers install it: under a path with a space,
 * moved after its first run, started many times at once, with several JAVA_OPTS, with quoted
 * JAVA_OPTS, with CDPATH exported. Each test unpacks its own copy of the .tar.gz.
 */
class ImageInstallIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Map<String, String> CLEAN = Map.of("PATH", "/usr/bin:/bin");
    private static final String[] RUN = {"run", "--exporter", "none", "--http-port", "0", "--http-address", "127.0.0.1"};

    @TempDir
    Path dir;

    @Test
    void startsUnderAPathWithASpaceUntrainedAndSaysSoOnce() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), Files.createDirectories(dir.resolve("with space")));
        assumeTrainingRuntime(home);
        String note = "launcher: note: the plugins' classes are not archived for faster starts: JDK 17 cannot archive"
                + " jars under a path with spaces or characters other than letters, digits and / . _ ~ + , = @ : - ("
                + home.toRealPath() + ")";
        for (int start = 1; start <= 2; start++) {
            try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, RUN)) {
                launcher.awaitStdout("[http] service started", START);
                launcher.terminate();
                assertEquals(0, launcher.awaitExit(START), "exit code of start " + start + "\n" + launcher.output());
                assertEquals(start == 1 ? List.of(note) : List.of(), launcher.stderr(), "standard error of start " + start);
            }
        }
        assertEquals(List.of(), archives(home), "no archive, no partial one");
    }

    @Test
    void eightStartsAtOnceNeverFailFiveRoundsRunning() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        int started = 0;
        List<String> failures = new ArrayList<>();
        for (int round = 1; round <= 5; round++) {
            List<LauncherProcess> launchers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    // Half serve (and train, in the first round), half only list the plugins; all race
                    // to keep the archives that the round before left behind.
                    launchers.add(i % 2 == 0 ? LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, RUN)
                            : LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "plugins"));
                }
                for (int i = 0; i < launchers.size(); i++) {
                    LauncherProcess launcher = launchers.get(i);
                    if (i % 2 == 0) {
                        launcher.awaitStdout("[http] service started", START);
                        launcher.terminate();
                    }
                    int code = launcher.awaitExit(START);
                    started++;
                    if (code != 0 || !launcher.stderr().isEmpty()) {
                        failures.add("round " + round + ", start " + i + ": exit " + code + "\n" + launcher.output());
                    }
                }
            } finally {
                launchers.forEach(LauncherProcess::close);
            }
        }
        assertEquals(40, started);
        assertEquals(List.of(), failures, failures.size() + " of 40 starts failed");
        ImageIT.runQuietly(home, CLEAN, "plugins");
        List<String> left = archives(home);
        // A JDK 25 image makes an AOT cache in place of the plugins' archive (see its bin/launcher).
        String kept = ImageIT.runtimeFeature(home) < 25 ? ".jsa" : ".aot";
        assertEquals(1, left.size(), "one archive for the one key, nothing else: " + left);
        assertTrue(left.stream().allMatch(a -> a.endsWith(kept)), "the kept archive: " + left);
    }

    @Test
    void threeJavaOptsKeepThreeArchivesAndANewPluginSetReplacesThem() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        assumeTrainingRuntime(home);
        for (String javaOpts : List.of("-Xss600k", "-Xss700k", "-Dgreeting=\"hello world\"")) {
            trainAndKeep(home, Map.of("PATH", "/usr/bin:/bin", "JAVA_OPTS", javaOpts));
        }
        trainAndKeep(home, CLEAN);
        assertEquals(4, archives(home).stream().filter(a -> a.endsWith(".jsa")).count(),
                "one archive per JAVA_OPTS, nothing else: " + archives(home));
        trainAndKeep(home, Map.of("PATH", "/usr/bin:/bin", "JAVA_OPTS", "-Xss800k"));
        assertEquals(4, archives(home).size(), "at most four archives, the oldest dropped: " + archives(home));

        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            Files.delete(jars.filter(p -> p.getFileName().toString().startsWith("plugin-querier-")).findFirst().orElseThrow());
        }
        trainAndKeep(home, CLEAN);
        assertEquals(1, archives(home).size(), "the old plugin set's archives are stale and gone: " + archives(home));
    }

    @Test
    void aMovedImageStartsCleanlyTrainsAgainAndDropsTheOldPlacesArchive() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), Files.createDirectories(dir.resolve("first")));
        assumeTrainingRuntime(home);
        trainAndKeep(home, CLEAN);
        List<String> before = archives(home);
        Path moved = Files.move(home.getParent(), dir.resolve("second")).resolve(home.getFileName());

        trainAndKeep(moved, CLEAN);
        List<String> after = archives(moved);
        assertEquals(1, after.size(), "the new place's archive alone: " + after);
        assertTrue(!before.contains(after.get(0)), "another key for another place: " + before + " then " + after);
    }

    @Test
    void quotedJavaOptsReachTheJvmAsOneOptionAndOnlyARealCollectorOptionReplacesTheDefault() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        // -XX:+UseStringDeduplication and "GC" in a value name no collector: the Serial default stays.
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_OPTS",
                "-Dgreeting=\"hello world\" -Dstar=* -XX:+UseStringDeduplication -Dnote=GC -XshowSettings:properties -Xlog:gc:stdout");
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env, "--version")) {
            assertEquals(0, launcher.awaitExit(START), launcher.output());
            // -XshowSettings prints on standard error.
            assertTrue(launcher.stderr().stream().anyMatch(l -> l.strip().equals("greeting = hello world")),
                    "the quoted value as one property:\n" + launcher.output());
            assertTrue(launcher.stderr().stream().anyMatch(l -> l.strip().equals("star = *")), "no glob expansion:\n" + launcher.output());
            assertTrue(launcher.stdout().stream().anyMatch(l -> l.endsWith("Using Serial")), "the Serial default:\n" + launcher.output());
        }
        // G1 too: a digit in the collector's name once kept the plain distribution's JVM from starting.
        for (String collector : List.of("Parallel", "G1")) {
            Map<String, String> own = Map.of("PATH", "/usr/bin:/bin", "JAVA_OPTS", "-XX:+Use" + collector + "GC -Xlog:gc:stdout");
            try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), own, "--version")) {
                assertEquals(0, launcher.awaitExit(START), launcher.output());
                assertTrue(launcher.stdout().stream().anyMatch(l -> l.endsWith("Using " + collector)),
                        "the user's collector:\n" + launcher.output());
            }
        }
    }

    @Test
    void anExportedCdpathChangesNothing() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        Map<String, String> env = new HashMap<>(CLEAN);
        // cd prints the folder it found through CDPATH: the old script took that into $home.
        env.put("CDPATH", dir.toString());
        try (LauncherProcess launcher = LauncherProcess.exec(dir, Path.of(home.getFileName().toString(), "bin", "launcher"), env,
                "--version")) {
            assertEquals(0, launcher.awaitExit(START), launcher.output());
            assertEquals("helloworld " + System.getProperty("helloworld.version", "0.1.0-SNAPSHOT"), launcher.stdout().get(0));
            assertEquals(List.of(), launcher.stderr(), "standard error");
        }
    }

    @Test
    void everyCommandPrintsTheVersion() throws Exception {
        Path home = ImageIT.unpack(ImageIT.archive(), dir);
        List<String> expected = ImageIT.runQuietly(home, CLEAN, "--version");
        for (String command : List.of("run", "plugins", "config")) {
            assertEquals(expected, ImageIT.runQuietly(home, CLEAN, command, "--version"), command + " --version");
        }
    }

    /** A clean run that trains an archive, then a start that keeps it. */
    private static void trainAndKeep(Path home, Map<String, String> env) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env, RUN)) {
            launcher.awaitStdout("[http] service started", START);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), "exit code of the training run with " + env + "\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error of the training run");
        }
        ImageIT.runQuietly(home, env, "plugins");
        assertTrue(archives(home).stream().noneMatch(a -> a.endsWith(".partial") || a.endsWith(".ok")),
                "the training run's archive kept: " + archives(home));
    }

    /** The archive's tests apply where the image trains one: not on JDK 25, which makes an AOT cache (AotCacheIT). */
    private static void assumeTrainingRuntime(Path home) throws IOException {
        int feature = ImageIT.runtimeFeature(home);
        assumeTrue(feature < 25, "an image of JDK " + feature + " trains no archive of the plugins' classes");
    }

    private static List<String> archives(Path home) throws IOException {
        Path folder = home.resolve("lib/app-cds");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".untrained")).sorted().toList();
        }
    }
}
