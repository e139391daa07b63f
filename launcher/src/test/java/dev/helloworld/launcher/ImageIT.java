package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jlink runtime image as a user gets it: unpacked from the .tar.gz into a fresh directory and
 * run with nothing but {@code PATH=/usr/bin:/bin}, so no {@code JAVA_HOME}. Each test works on its
 * own copy, so that adding and removing plugin jars never touches the build output.
 */
class ImageIT {

    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Duration START = Duration.ofSeconds(60);
    private static final Map<String, String> CLEAN = Map.of("PATH", "/usr/bin:/bin");
    private static final String LOG_LINE = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (INFO|WARNING|ERROR|DEBUG): \\[.+] .*";
    private static final List<String> BUNDLED = List.of("otlp", "profiling", "scenarios", "http", "querier", "topology");

    @TempDir
    Path dir;

    private Path home;

    @BeforeEach
    void unpackTheArchive() throws Exception {
        home = unpack(archive(), dir);
    }

    @Test
    void printsItsVersionWithoutAnyJdkAround() throws Exception {
        List<String> out = run(CLEAN, "--version");
        assertEquals("helloworld " + version(), out.get(0), "first line of --version");
        assertTrue(out.get(1).startsWith("JVM " + Runtime.version().feature()), "second line names the image's JVM: " + out);
    }

    @Test
    void runsItsOwnJavaNeverJavaHomesNorThePaths(@TempDir Path decoys) throws Exception {
        // A java on the PATH and under JAVA_HOME that fail loudly if the script ever picks them.
        Path bin = Files.createDirectories(decoys.resolve("jdk/bin"));
        Path decoy = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho 'decoy java used' >&2\nexit 99\n");
        decoy.toFile().setExecutable(true);
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "JAVA_HOME", decoys.resolve("jdk").toString());

        List<String> out = run(env, "--version");
        assertEquals("helloworld " + version(), out.get(0), "first line of --version");
    }

    @Test
    void listsTheFourBundledPluginsWithTheirVersions() throws Exception {
        List<List<String>> rows = pluginRows(home);
        assertEquals(BUNDLED, rows.stream().map(r -> r.get(0)).toList(), "plugins in start order: " + rows);
        // The JDK 17 image puts the plugins on the class path, for its start (src/image/README.md).
        boolean modulePath = runtimeFeature(home) >= 25;
        for (List<String> row : rows) {
            assertEquals(modulePath ? "dev.helloworld." + row.get(0) : "class path", row.get(1), "module of " + row);
            assertEquals(version(), row.get(2), "version of " + row);
        }
    }

    @Test
    void runsAndExportsSpansToTheCollectorThenStopsOnSigterm() throws Exception {
        assertRunsAndExportsSpans(home);
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {OtlpReceiver.GRPC, OtlpReceiver.HTTP})
    void exportsToAnHttpsCollectorWithItsCaCertificate(String transport) throws Exception {
        // TLS needs JDK modules that no class names (the SunEC provider is found by ServiceLoader):
        // this proves the computed module list kept them.
        try (OtlpReceiver collector = OtlpReceiver.startTls();
                LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run",
                        "--exporter", transport, "--enable-traces", "--endpoint", collector.endpoint(transport).toString(),
                        "--otlp-certificate", collector.caCertificate().toString(),
                        "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            collector.awaitSpan("handle/hello_world", START);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            assertTrue(launcher.stderr().isEmpty(), "nothing on standard error\n" + launcher.output());
        }
    }

    @Test
    void profilesWithAsyncProfilerAndUploadsStacksToPyroscope() throws Exception {
        // Whatever the agent loads reflectively from the JDK must be in the image, and libjvm.so
        // must keep its symbols: async-profiler warns on standard error on every cycle otherwise.
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run",
                        "--exporter", "none", "--http-port", "0", "--http-address", "127.0.0.1",
                        "--query-interval", "200ms", "--enable-profiling",
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-upload-interval", "1s")) {
            launcher.awaitStdout("[profiling] service started", START);
            pyroscope.awaitUpload(u -> u.samples().stream().anyMatch(sample -> !sample.frames().isEmpty()), START);

            launcher.terminate();

            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            assertTrue(launcher.stderr().isEmpty(), "nothing on standard error\n" + launcher.output());
            // async-profiler prints its "[WARN] Install JVM debug symbols" on standard output.
            assertTrue(launcher.stdout().stream().allMatch(l -> l.matches(LOG_LINE)),
                    "only log lines on standard output\n" + launcher.output());
        }
    }

    @Test
    void aPluginIsDisabledByRemovingItsJarWithoutRelinking() throws Exception {
        Files.delete(jar(home, "plugin-profiling-"));

        List<List<String>> rows = pluginRows(home);
        assertEquals(List.of("otlp", "scenarios", "http", "querier", "topology"), rows.stream().map(r -> r.get(0)).toList(),
                "plugins left once plugin-profiling's jar is gone: " + rows);
        assertRunsAndExportsSpans(home);
    }

    @Test
    void aThirdPartyPluginIsAddedByDroppingItsJarIn() throws Exception {
        Files.copy(LauncherProcess.samplePluginJar(), home.resolve("plugins/plugin-sample.jar"));

        List<List<String>> rows = pluginRows(home);
        assertEquals(List.of("otlp", "profiling", "scenarios", "http", "querier", "topology", "sample"), rows.stream().map(r -> r.get(0)).toList(),
                "plugins in start order with the sample plugin: " + rows);
    }

    @Test
    void aPluginKeptInAFolderOfItsOwnIsAddedByNamingItInLauncherPlugins() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("my-plugins"));
        Files.copy(LauncherProcess.samplePluginJar(), folder.resolve("plugin-sample.jar"));

        List<String> out = run(Map.of("PATH", "/usr/bin:/bin", "LAUNCHER_PLUGINS", folder.toString()), "plugins");
        assertEquals(List.of("otlp", "profiling", "scenarios", "http", "querier", "topology", "sample"),
                out.subList(1, out.size()).stream().map(l -> l.split(" {2,}")[0]).toList(),
                "the bundled plugins and the one from LAUNCHER_PLUGINS: " + out);
    }

    @Test
    void coreLauncherAndPicocliAreLinkedIntoTheRuntimeNotLeftAsJars() throws Exception {
        List<String> modules = run(CLEAN, home.resolve("bin/java"), "--list-modules");
        for (String module : List.of("dev.helloworld.core", "dev.helloworld.launcher", "info.picocli")) {
            assertTrue(modules.stream().anyMatch(m -> m.startsWith(module + "@")), module + " linked into the image: " + modules);
        }
        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.matches("(core|launcher|picocli)-.*\\.jar")),
                    "linked modules must not also be in plugins/, or two copies would compete: " + names);
        }
    }

    @Test
    void refusesToChooseTheClassPathModeWithOneLine() throws Exception {
        String expected = "launcher: the runtime image puts its plugins on the path its Java starts fastest with (core and"
                + " the launcher are linked into it); use the plain distribution to choose the module or class path mode";
        for (Map<String, String> env : List.of(CLEAN, Map.of("PATH", "/usr/bin:/bin", "LAUNCHER_MODE", "classpath"))) {
            String[] args = env.containsKey("LAUNCHER_MODE") ? new String[] {"plugins"} : new String[] {"--class-path", "plugins"};
            try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), env, args)) {
                assertEquals(2, launcher.awaitExit(QUICK), "exit code with " + env + " " + List.of(args) + "\n" + launcher.output());
                assertEquals(List.of(expected), launcher.stderr(), "standard error");
            }
        }
    }

    @Test
    void startsWithTheLaunchersClassesFromTheSharedArchiveWhereverItIsUnpacked() throws Exception {
        // JAVA_OPTS reaches the JVM; class+load logging says where each class came from.
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_OPTS", "-Xlog:class+load=info:stdout");
        List<String> out = run(env, "--version");
        assertTrue(out.stream().anyMatch(l -> l.matches(".*dev\\.helloworld\\.launcher\\.Main source: shared objects file.*")),
                "the launcher's Main should come from the class data sharing archive in an image unpacked at " + home
                        + ":\n" + String.join("\n", out.stream().filter(l -> l.contains("helloworld")).toList()));
    }

    @Test
    void startsQuietlyWithoutTheSharedArchiveWhenItDoesNotMatch() throws Exception {
        Path archive = home.resolve("lib/server/classes.jsa");
        archive.toFile().setWritable(true);
        Files.writeString(archive, "not an archive");

        List<String> out = run(CLEAN, "--version");
        assertEquals(List.of("helloworld " + version()), out.subList(0, 1), "--version without a usable archive: " + out);
        assertEquals(2, out.size(), "nothing but the two version lines: " + out);
    }

    @Test
    void theFirstCleanRunTrainsAnArchiveOfThePluginsClassesThatLaterStartsMap() throws Exception {
        assumeTrainsItsArchive();
        Path archives = home.resolve("lib/app-cds");
        long trainer = runUntilServingThenStop();
        assertEquals(List.of(trainer + ".ok", trainer + ".partial"), suffixes(archives),
                "after the first clean run: its archive, written at exit, and the mark that keeps it");

        try (LauncherProcess second = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run", "--exporter", "none",
                "--http-port", "0", "--http-address", "127.0.0.1")) {
            second.awaitStdout("[http] service started", START);
            List<String> archivesInUse = mappedArchives(second.pid());
            assertEquals(1, archivesInUse.size(), "one archive of lib/app-cds mapped: " + archivesInUse);
            assertTrue(archivesInUse.get(0).matches(".*/lib/app-cds/\\d+-\\d+-\\d+\\.jsa"), "the kept archive: " + archivesInUse);
            second.terminate();
            assertEquals(0, second.awaitExit(START), second.output());
            assertTrue(second.stderr().isEmpty(), "nothing on standard error\n" + second.output());
        }
        assertEquals(List.of("jsa"), suffixes(archives), "the kept archive alone, no second training");

        // Another set of plugin jars is another archive: the next run trains one for it.
        Files.delete(jar(home, "plugin-querier-"));
        long retrainer = runUntilServingThenStop();
        assertEquals(List.of(retrainer + ".ok", retrainer + ".partial", "jsa"), suffixes(archives),
                "a run without the querier trains its own archive beside the first");
        run(CLEAN, "plugins");
        assertEquals(List.of("jsa"), suffixes(archives), "once the new one is kept, the old plugin set's is stale and gone");
    }

    @Test
    void aRunThatFailsLeavesNoArchiveAndTheNextCleanRunTrainsOne() throws Exception {
        assumeTrainsItsArchive();
        Path archives = home.resolve("lib/app-cds");
        try (LauncherProcess taken = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run", "--exporter", "none",
                "--http-port", "0", "--http-address", "127.0.0.1")) {
            String busy = taken.awaitStdout("[http] listening on", START);
            String port = busy.replaceFirst(".*listening on 127\\.0\\.0\\.1:(\\d+).*", "$1");
            // The second run fails to bind (exit 1): the JVM still writes its archive as it exits.
            try (LauncherProcess failing = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run", "--exporter",
                    "none", "--http-port", port, "--http-address", "127.0.0.1")) {
                assertEquals(1, failing.awaitExit(START), failing.output());
            }
            taken.terminate();
            assertEquals(0, taken.awaitExit(START), taken.output());
        }
        run(CLEAN, "plugins");
        List<String> left = suffixes(archives);
        assertEquals(List.of("jsa"), left, "the clean run's archive kept, the failed run's thrown away: " + left);
    }

    /** bin/launcher makes an AOT cache in place of the plugins' archive on JDK 25 (AotCacheIT; src/image/README.md). */
    private void assumeTrainsItsArchive() throws IOException {
        int feature = runtimeFeature(home);
        assumeTrue(feature < 25, "an image of JDK " + feature + " trains no archive of the plugins' classes");
    }

    /** The feature version of an image's runtime, from JAVA_VERSION="25.0.3" in its release file. */
    static int runtimeFeature(Path image) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)")
                .matcher(Files.readString(image.resolve("release")));
        assertTrue(m.find(), "no JAVA_VERSION in " + image.resolve("release"));
        return Integer.parseInt(m.group(1));
    }

    /** Starts {@code run}, waits until it serves, stops it with SIGTERM (exit 0) and returns its pid. */
    private long runUntilServingThenStop() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run", "--exporter", "none",
                "--http-port", "0", "--http-address", "127.0.0.1")) {
            launcher.awaitStdout("[http] service started", START);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(START), launcher.output());
            assertTrue(launcher.stderr().isEmpty(), "nothing on standard error while training\n" + launcher.output());
            assertTrue(launcher.stdout().stream().allMatch(l -> l.matches(LOG_LINE)), "log lines only\n" + launcher.output());
            return launcher.pid();
        }
    }

    /** What follows the archive key in each file name of {@code dir}: {@code jsa}, {@code <pid>.ok}, sorted. */
    private static List<String> suffixes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString().replaceFirst("^\\d+-\\d+-\\d+\\.", "")).sorted().toList();
        }
    }

    private static List<String> mappedArchives(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .filter(l -> l.contains("/lib/app-cds/"))
                .map(l -> l.substring(l.indexOf('/')))
                .distinct().toList();
    }

    /** Runs the image with the receiver as collector and waits for the querier's call to be traced. */
    private static void assertRunsAndExportsSpans(Path home) throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.exec(home.resolve("bin/launcher"), CLEAN, "run",
                        "--exporter", "http", "--enable-traces", "--endpoint", collector.httpEndpoint().toString(),
                        "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            launcher.awaitStdout("[querier] service started", START);
            Span server = collector.awaitSpan("handle/hello_world", START);
            collector.awaitSpans(spans -> spans.stream().anyMatch(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                    && s.getTraceId().equals(server.getTraceId())), START);

            launcher.terminate();

            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            assertTrue(launcher.stderr().isEmpty(), "nothing on standard error\n" + launcher.output());
        }
    }

    private List<String> run(Map<String, String> env, String... args) throws Exception {
        return run(env, home.resolve("bin/launcher"), args);
    }

    private static List<String> run(Map<String, String> env, Path executable, String... args) throws Exception {
        try (LauncherProcess process = LauncherProcess.exec(executable, env, args)) {
            int code = process.awaitExit(QUICK);
            assertEquals(0, code, "exit code of " + executable.getFileName() + " " + String.join(" ", args) + "\n" + process.output());
            return process.stdout();
        }
    }

    /** Runs {@code home/bin/launcher args} to exit 0 with nothing on standard error; returns standard output. */
    static List<String> runQuietly(Path home, Map<String, String> env, String... args) throws Exception {
        try (LauncherProcess process = LauncherProcess.exec(home.resolve("bin/launcher"), env, args)) {
            int code = process.awaitExit(Duration.ofSeconds(120));
            assertEquals(0, code, "exit code of launcher " + String.join(" ", args) + "\n" + process.output());
            assertEquals(List.of(), process.stderr(), "standard error of launcher " + String.join(" ", args));
            return process.stdout();
        }
    }

    /** The rows of {@code launcher plugins} below the header, split into columns. */
    private static List<List<String>> pluginRows(Path home) throws Exception {
        List<String> out = run(CLEAN, home.resolve("bin/launcher"), "plugins");
        assertEquals("NAME MODULE VERSION PRIORITY STATUS", out.get(0).replaceAll(" +", " "), "header of launcher plugins");
        return out.subList(1, out.size()).stream().map(l -> List.of(l.split(" {2,}"))).toList();
    }

    private static Path jar(Path home, String prefix) throws IOException {
        try (Stream<Path> jars = Files.list(home.resolve("plugins"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + prefix + "*.jar in " + home.resolve("plugins")));
        }
    }

    /** Unpacks with the system's tar, as a user would; the archive holds one top directory. */
    static Path unpack(Path archive, Path into) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), "tar -xzf " + archive + "\n" + output);
        Path top = into.resolve(archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""));
        assertTrue(Files.isExecutable(top.resolve("bin/launcher")), "bin/launcher in " + top);
        return top;
    }

    static Path archive() {
        Path archive = Path.of(System.getProperty("helloworld.imageArchive", "target/image.tar.gz"));
        assertTrue(Files.isRegularFile(archive), "the image archive " + archive + " should exist; run mvn verify");
        return archive;
    }

    private static String version() {
        return System.getProperty("helloworld.version", "0.1.0-SNAPSHOT");
    }
}
