package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A plugin made by a test: one {@code Service} class compiled with the JDK's javac against the
 * distribution's core, in a jar with the services file that lists it, to drop into lib/.
 */
final class PluginJar {

    private PluginJar() {}

    /**
     * Compiles {@code body}, the source of the class {@code pkg.type} without its package line, in
     * {@code dir} and returns the jar made of it.
     */
    static Path of(Path dir, String pkg, String type, String body) throws IOException, InterruptedException {
        Path src = Files.createDirectories(dir.resolve("src").resolve(pkg)).resolve(type + ".java");
        Files.writeString(src, "package " + pkg + ";\n\n" + body + "\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Process javac = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
                "--release", "17", "-d", classes.toString(), "-cp", coreJar().toString(), src.toString())
                .redirectErrorStream(true).start();
        String output = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, javac.waitFor(), "javac " + src + "\n" + output);

        String provider = pkg + "." + type;
        String classFile = provider.replace('.', '/') + ".class";
        Path jar = dir.resolve(pkg + "-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(classFile));
            Files.copy(classes.resolve(classFile), out);
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/services/dev.helloworld.core.spi.Service"));
            out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static Path coreJar() throws IOException {
        try (Stream<Path> jars = Files.list(LauncherProcess.dist().resolve("lib"))) {
            List<Path> core = jars.filter(p -> p.getFileName().toString().matches("core-.*\\.jar")).toList();
            assertEquals(1, core.size(), "one core jar in " + LauncherProcess.dist() + "/lib");
            return core.get(0);
        }
    }
}
