package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A broken plugin jar, as users meet them, dropped into the real distribution next to a good one,
 * on the module path and on the class path: {@code run} exits 1 with exactly one line naming the
 * class, the jar and why, and starts nothing; {@code --help}, {@code --version} and {@code plugins}
 * still work, and {@code plugins} lists the good plugin and the broken one with why.
 *
 * <p>The jars are compiled here with the JDK's javac against core, each in a package of its own
 * (automatic modules on the module path may not share one).
 */
class BrokenPluginIT {

    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final String SERVICE = "dev.helloworld.core.spi.Service";
    private static final String STUBS = """
                @Override public void start(dev.helloworld.core.spi.ServiceContext context) {}
                @Override public void stop() {}
            """;

    @TempDir
    static Path build;

    /** What each broken jar holds, and the reason {@code launcher} must give. */
    private record Broken(String jar, String className, String reason) {
        @Override
        public String toString() {
            return jar;
        }
    }

    /** The class file version of the Java after the one that runs the tests (69 on JDK 24, 70 on 25). */
    private static final int NEWER_CLASS_FILE = 45 + Runtime.version().feature();

    static Stream<Arguments> brokenJars() {
        int feature = Runtime.version().feature();
        List<Broken> jars = List.of(
                new Broken("clash-plugin.jar", "clash.ClashService",
                        "its option or variable '--endpoint' (key clash.endpoint) is already used by core"),
                new Broken("needy-plugin.jar", "needy.NeedyService",
                        "needs the class lib.Base, which no jar here has (a missing dependency?)"),
                new Broken("newer-plugin.jar", "newer.NewerService",
                        "compiled for a newer Java (class file version " + NEWER_CLASS_FILE + ".0; this Java " + feature + " reads up to "
                                + (44 + feature) + ".0)"),
                new Broken("throwing-plugin.jar", "throwing.ThrowingService", "its constructor threw IllegalStateException: boom"),
                new Broken("nameless-plugin.jar", "nameless.NamelessService", "its name() is null; a plugin needs a name"));
        return jars.stream().flatMap(b -> Stream.of(Arguments.of(b, ""), Arguments.of(b, "--class-path")));
    }

    @BeforeAll
    static void compileTheBrokenPlugins() throws Exception {
        Path src = Files.createDirectories(build.resolve("src"));
        Path classes = Files.createDirectories(build.resolve("classes"));
        List<Path> sources = new ArrayList<>();
        sources.add(source(src, "clash", "ClashService", """
                public class ClashService implements dev.helloworld.core.spi.Service {
                    static final dev.helloworld.core.config.ConfigKey<String> ENDPOINT = dev.helloworld.core.config.ConfigKey
                            .builder("clash.endpoint", dev.helloworld.core.config.ValueType.text("<url>")).flag("--endpoint")
                            .defaultValue("x").description("takes core's --endpoint").build();
                    @Override public String name() { return "clash"; }
                    @Override public java.util.List<dev.helloworld.core.config.ConfigKey<?>> configKeys() { return java.util.List.of(ENDPOINT); }
                """ + STUBS + "}"));
        sources.add(source(src, "lib", "Base", "public abstract class Base implements dev.helloworld.core.spi.Service {\n" + STUBS + "}"));
        sources.add(source(src, "needy", "NeedyService", """
                public class NeedyService extends lib.Base {
                    @Override public String name() { return "needy"; }
                }"""));
        sources.add(source(src, "newer", "NewerService", """
                public class NewerService implements dev.helloworld.core.spi.Service {
                    @Override public String name() { return "newer"; }
                """ + STUBS + "}"));
        sources.add(source(src, "throwing", "ThrowingService", """
                public class ThrowingService implements dev.helloworld.core.spi.Service {
                    public ThrowingService() { throw new IllegalStateException("boom"); }
                    @Override public String name() { return "throwing"; }
                """ + STUBS + "}"));
        sources.add(source(src, "nameless", "NamelessService", """
                public class NamelessService implements dev.helloworld.core.spi.Service {
                    @Override public String name() { return null; }
                """ + STUBS + "}"));
        List<String> javac = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "17", "-d", classes.toString(), "-cp", coreJar().toString()));
        sources.forEach(s -> javac.add(s.toString()));
        Process process = new ProcessBuilder(javac).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "javac\n" + output);

        // A class file for the Java after the one running the tests (class file version 45 + its
        // feature version, as javac --release would write it): the major version is all that differs.
        Path newer = classes.resolve("newer/NewerService.class");
        byte[] bytes = Files.readAllBytes(newer);
        bytes[6] = (byte) (NEWER_CLASS_FILE >> 8);
        bytes[7] = (byte) NEWER_CLASS_FILE;
        Files.write(newer, bytes);

        for (String name : List.of("clash", "needy", "newer", "throwing", "nameless")) {
            // lib.Base stays out of needy's jar: the missing dependency.
            String provider = name + "." + Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Service";
            jar(build.resolve(name + "-plugin.jar"), classes, provider);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("brokenJars")
    void runRefusesWithOneLineNamingTheClassAndTheJar(Broken broken, String modeFlag, @TempDir Path dir) throws Exception {
        Path home = distWith(dir, broken);
        String jar = home.toRealPath().resolve("lib").resolve(broken.jar()).toString();
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(),
                LauncherProcess.inMode(modeFlag, "run", "--exporter", "none", "--http-port", "0", "--http-address", "127.0.0.1"))) {
            assertEquals(1, launcher.awaitExit(QUICK), "exit code of run\n" + launcher.output());
            assertEquals(List.of("launcher: plugin " + broken.className() + " in " + jar + " cannot be used: " + broken.reason()),
                    launcher.stderr(), "standard error of run");
            assertEquals(List.of(), launcher.stdout(), "nothing started, nothing logged");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("brokenJars")
    void helpVersionAndPluginsStillWorkAndPluginsSaysWhy(Broken broken, String modeFlag, @TempDir Path dir) throws Exception {
        Path home = distWith(dir, broken);
        String jar = home.toRealPath().resolve("lib").resolve(broken.jar()).toString();

        List<String> version = succeed(home, LauncherProcess.inMode(modeFlag, "--version"));
        assertEquals("helloworld 0.1.0-SNAPSHOT", version.get(0), "launcher --version");
        List<String> help = succeed(home, LauncherProcess.inMode(modeFlag, "run", "--help"));
        assertTrue(help.get(0).startsWith("Usage: launcher run"), "launcher run --help: " + help);

        List<String> plugins = succeed(home, LauncherProcess.inMode(modeFlag, "plugins"));
        assertEquals(3, plugins.size(), "header, the good plugin, the broken one: " + plugins);
        assertTrue(plugins.get(1).matches("sample +.+ +0\\.1\\.0-SNAPSHOT +500 +enabled"), "the good plugin: " + plugins.get(1));
        assertEquals(List.of("?", "-", "-", "-", "broken: " + broken.className() + " in " + jar + ": " + broken.reason()),
                List.of(plugins.get(2).split(" {2,}")), "the broken plugin's row");
    }

    private static List<String> succeed(Path home, String... args) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(), args)) {
            assertEquals(0, launcher.awaitExit(QUICK), "exit code of launcher " + String.join(" ", args) + "\n" + launcher.output());
            assertEquals(List.of(), launcher.stderr(), "standard error of launcher " + String.join(" ", args));
            return launcher.stdout();
        }
    }

    /** A bare distribution with the sample plugin and {@code broken}'s jar in lib/. */
    private static Path distWith(Path dir, Broken broken) throws IOException {
        Path home = LauncherProcess.copyDist(dir, true);
        Files.copy(LauncherProcess.samplePluginJar(), home.resolve("lib/plugin-sample.jar"));
        Files.copy(build.resolve(broken.jar()), home.resolve("lib").resolve(broken.jar()));
        return home;
    }


    private static Path coreJar() throws IOException {
        try (Stream<Path> jars = Files.list(LauncherProcess.dist().resolve("lib"))) {
            return jars.filter(p -> p.getFileName().toString().matches("core-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no core jar in " + LauncherProcess.dist()));
        }
    }

    private static Path source(Path src, String pkg, String type, String body) throws IOException {
        Path file = Files.createDirectories(src.resolve(pkg)).resolve(type + ".java");
        Files.writeString(file, "package " + pkg + ";\n\n" + body + "\n");
        return file;
    }

    /** A plugin jar with one provider class and the services file that lists it. */
    private static void jar(Path jar, Path classes, String provider) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            String classFile = provider.replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(classFile));
            Files.copy(classes.resolve(classFile), out);
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/" + SERVICE));
            out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }
}
