/*
 * Builds the jlink runtime image (target/image) and its .tar.gz from the plain distribution
 * (target/dist). The launcher's pom runs it in the package phase as a single-file program
 * (java BuildImage.java ...), so that the steps read top to bottom and the build needs no jlink
 * plugin, no shell and no tar on the build machine.
 *
 * The image holds a Java runtime with the JDK modules the distribution needs, and the modules the
 * launcher needs by itself (core, launcher, picocli) linked into it. Everything else in dist/lib
 * (the plugins and their libraries, many of them automatic modules that jlink refuses) is copied
 * as jars into plugins/, which the image's bin/launcher puts on the module path: a plugin is still
 * added or removed by adding or removing jars, without relinking.
 */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public class BuildImage {

    /** The module whose own closure is linked into the image; the rest of dist/lib is plugins. */
    private static final String LAUNCHER = "dev.helloworld.launcher";
    private static final String MAIN = LAUNCHER + "/dev.helloworld.launcher.Main";

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: java BuildImage.java DIST SCRIPT EXTRA_MODULES UNREACHED_USES WORK IMAGE ARCHIVE TIMESTAMP");
            System.exit(2);
        }
        Path dist = Path.of(args[0]);
        Path script = Path.of(args[1]);
        Path extraModules = Path.of(args[2]);
        Path unreachedUses = Path.of(args[3]);
        Path work = Path.of(args[4]);
        Path image = Path.of(args[5]);
        Path archive = Path.of(args[6]);
        Instant timestamp = Instant.parse(args[7]);

        long started = System.nanoTime();
        recreate(work);
        List<Path> jars = jarsIn(dist.resolve("lib"));
        List<Path> linked = launcherClosure(jars);
        List<Path> plugins = jars.stream().filter(j -> !linked.contains(j)).toList();

        Map<String, Set<String>> modules = jdkModules(jars, plugins, extraModules, unreachedUses, work);
        writeModuleList(modules, work.resolve("jdk-modules.txt"));

        link(linked, modules.keySet(), image);
        Path pluginDir = Files.createDirectories(image.resolve("plugins"));
        for (Path jar : plugins) {
            copyForThisPlatform(jar, pluginDir.resolve(jar.getFileName()), timestamp);
        }
        Path launcher = image.resolve("bin/launcher");
        Files.copy(script, launcher);
        Files.setPosixFilePermissions(launcher, permissions(0755));
        Files.copy(work.resolve("jdk-modules.txt"), image.resolve("lib/jdk-modules.txt"));

        archiveClasses(image, work);
        Tar.gzip(image, archive, archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""), timestamp);

        System.out.printf("[image] %s: %.1f MiB on disk; %s: %.1f MiB; %d JDK modules; %d plugin jars; %d s%n",
                image, mebibytes(sizeOf(image)), archive.getFileName(), mebibytes(Files.size(archive)),
                modulesOf(image).size(), plugins.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /** The jars of the launcher module and of every module it requires, transitively: what jlink links. */
    static List<Path> launcherClosure(List<Path> jars) {
        Map<String, Path> jarOfModule = new TreeMap<>();
        for (Path jar : jars) {
            descriptor(jar).ifPresent(d -> jarOfModule.putIfAbsent(d.name(), jar));
        }
        ModuleFinder finder = ModuleFinder.of(jarOfModule.values().toArray(Path[]::new));
        Configuration resolved = Configuration.empty()
                .resolve(ModuleFinder.compose(ModuleFinder.ofSystem(), finder), ModuleFinder.of(), Set.of(LAUNCHER));
        List<Path> closure = new ArrayList<>();
        for (ResolvedModule module : resolved.modules()) {
            Path jar = jarOfModule.get(module.name());
            if (jar == null) {
                continue;
            }
            if (module.reference().descriptor().isAutomatic()) {
                throw new IllegalStateException("the launcher requires the automatic module " + module.name()
                        + " (" + jar.getFileName() + "), which jlink cannot link; it needs a module-info");
            }
            closure.add(jar);
        }
        return closure;
    }

    /**
     * The JDK modules to link, each with why: what jdeps finds in the bytecode of every jar in
     * dist/lib, what the plugins' own module descriptors require (a missing one would stop the
     * module path from resolving even if no class used it), and the few that are only ever looked
     * up at run time, from {@code extraModules}. The uses listed in {@code unreachedUses} (a class
     * prefix and a JDK module) do not count: no code path of helloworld reaches them.
     */
    static Map<String, Set<String>> jdkModules(List<Path> jars, List<Path> plugins, Path extraModules,
            Path unreachedUses, Path work) throws IOException {
        Map<String, Set<String>> reasons = new TreeMap<>();
        reasons.put("java.base", new TreeSet<>(Set.of("always")));
        List<String[]> unreached = new ArrayList<>();
        for (String[] entry : entries(unreachedUses)) {
            String[] use = entry.length > 1 ? entry[1].split("\\s+", 2) : new String[0];
            if (use.length < 2 || !isJdkModule(use[0])) {
                throw new IllegalStateException(unreachedUses + ": expected a class prefix, a JDK module and why, not "
                        + String.join(" ", entry));
            }
            unreached.add(new String[] {entry[0], use[0]});
        }
        jdepsByJar(jars, unreached, work).forEach((jar, modules) -> modules.stream().filter(m -> !m.equals("java.base"))
                .forEach(m -> reasons.computeIfAbsent(m, k -> new TreeSet<>()).add("used by " + jar)));
        for (Path jar : plugins) {
            descriptor(jar).filter(d -> !d.isAutomatic()).ifPresent(d -> d.requires().stream()
                    .filter(r -> !r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                    .map(ModuleDescriptor.Requires::name)
                    .filter(m -> isJdkModule(m) && !m.equals("java.base"))
                    .forEach(m -> reasons.computeIfAbsent(m, k -> new TreeSet<>())
                            .add("required by " + jar.getFileName())));
        }
        for (String[] entry : entries(extraModules)) {
            if (!isJdkModule(entry[0])) {
                throw new IllegalStateException(extraModules + ": " + entry[0] + " is not a module of this JDK");
            }
            reasons.computeIfAbsent(entry[0], k -> new TreeSet<>()).add(entry.length > 1 ? entry[1] : "listed");
        }
        return reasons;
    }

    /** The entries of a list file: a name, then optionally why; {@code #} starts a comment. */
    static List<String[]> entries(Path file) throws IOException {
        List<String[]> entries = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String entry = line.replaceFirst("#.*", "").strip();
            if (!entry.isEmpty()) {
                entries.add(entry.split("\\s+", 2));
            }
        }
        return entries;
    }

    /**
     * jdeps, class by class, over every jar as plain class path jars: jar file name to the JDK
     * modules its classes use, leaving out the uses in {@code unreached}: pairs of a class-name
     * prefix and the JDK module that the classes with that prefix are not to be counted for. Module descriptors are stripped from copies first, because jdeps would otherwise
     * resolve the explicit modules among them, and that fails for libraries whose descriptors name
     * modules that only exist under other names on the module path.
     */
    static Map<String, Set<String>> jdepsByJar(List<Path> jars, List<String[]> unreached, Path work) throws IOException {
        Path plain = Files.createDirectories(work.resolve("jdeps"));
        List<String> copies = new ArrayList<>();
        for (Path jar : jars) {
            Path copy = plain.resolve(jar.getFileName());
            withoutModuleInfo(jar, copy);
            copies.add(copy.toString());
        }
        List<String> args = new ArrayList<>(List.of("-verbose:class", "--ignore-missing-deps",
                "--multi-release", String.valueOf(Runtime.version().feature()),
                "--class-path", String.join(java.io.File.pathSeparator, copies)));
        args.addAll(copies);
        String out = run("jdeps", args);
        Map<String, Set<String>> uses = new TreeMap<>();
        String jar = null;
        for (String line : out.lines().toList()) {
            // A jar's section starts "undertow-core-2.3.20.Final.jar -> java.sql" and goes on with
            // "   io.undertow.server.handlers.JDBCLogHandler -> java.sql.Connection   java.sql".
            String[] parts = line.strip().split("\\s+");
            if (!line.startsWith(" ") && parts.length == 3 && parts[1].equals("->")) {
                jar = parts[0];
            } else if (jar != null && parts.length == 4 && parts[1].equals("->") && isJdkModule(parts[3])
                    && unreached.stream().noneMatch(u -> parts[0].startsWith(u[0]) && parts[3].equals(u[1]))) {
                uses.computeIfAbsent(jar, k -> new TreeSet<>()).add(parts[3]);
            }
        }
        if (uses.isEmpty()) {
            throw new IllegalStateException("jdeps found no JDK modules at all; its output was:\n" + out);
        }
        return uses;
    }

    static void link(List<Path> linked, Set<String> jdkModules, Path image) throws IOException {
        deleteRecursively(image);
        List<String> modulePath = new ArrayList<>();
        // Since JDK 9 the JDK's own modules must be on jlink's module path; a JDK 24+ built with
        // a linkable run-time image has no jmods and links from itself.
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (Files.isDirectory(jmods)) {
            modulePath.add(jmods.toString());
        } else if (Runtime.version().feature() < 24) {
            throw new IllegalStateException("no " + jmods + ": jlink needs the JDK's jmods to build the image"
                    + " (on Debian and Ubuntu they are in the package openjdk-" + Runtime.version().feature() + "-jmods)");
        }
        linked.forEach(j -> modulePath.add(j.toString()));
        Set<String> roots = new TreeSet<>(jdkModules);
        roots.add(LAUNCHER);
        run("jlink", List.of(
                "--module-path", String.join(java.io.File.pathSeparator, modulePath),
                "--add-modules", String.join(",", roots),
                "--strip-debug", "--no-header-files", "--no-man-pages",
                // jrt-fs.jar only lets other JDKs read this image's modules; classlist only feeds
                // -Xshare:dump runs that name no class list (ours names one, see archiveClasses).
                "--exclude-files=/java.base/lib/jrt-fs.jar,/java.base/lib/classlist",
                // zip compression of lib/modules: sizes measured in src/image/README.md.
                "--compress=" + compression(System.getProperty("image.compress", "2")),
                "--output", image.toString()));
    }

    /**
     * jlink's name for a compression level: JDK 21 deprecated the numbers 0-2 (with a warning in
     * the build's output) for zip-0 to zip-9; 2 was zip at the default level, zip-6.
     */
    static String compression(String level) {
        if (Runtime.version().feature() < 21) {
            return level;
        }
        return switch (level) {
            case "0" -> "zip-0";
            case "2" -> "zip-6";
            default -> level;
        };
    }

    /**
     * The module options that bin/launcher gives the JVM in this image, so that the archive is
     * dumped with them too: JDK 24 and later refuse an archive (with an error on standard error
     * once a dynamic archive is given by name) whose native access grants differ from the run's.
     * The same rule as bin/launcher's: native access for the Pyroscope agent's automatic module
     * "agent" when its jar is among the plugins.
     */
    static List<String> moduleOptions(Path image) throws IOException {
        try (Stream<Path> jars = Files.list(image.resolve("plugins"))) {
            return jars.anyMatch(j -> j.getFileName().toString().matches("agent-[0-9].*\\.jar"))
                    ? List.of("--enable-native-access=agent") : List.of();
        }
    }

    /**
     * The class data sharing archive, at the JVM's default place (lib/server/classes.jsa) so that
     * every start of bin/java maps it without an option: the classes of the JDK, core and the
     * launcher that a run of {@code launcher plugins} loads, parsed and laid out ahead of time.
     * (picocli's are Java 5 class files, which CDS cannot archive.) It is dumped with compressed
     * oops, the default below 32 GiB of heap; a bigger heap simply starts without it.
     *
     * <p>One static archive from our own class list rather than jlink's --generate-cds-archive
     * (the JDK's default class list) plus a dynamic archive on top: it is smaller and starts
     * faster (src/image/README.md). Plugin classes are not archived on purpose: the JVM ties archived
     * module path classes to the absolute path of their jar at build time, so they would never
     * be used once the image is unpacked anywhere else. Classes in the image's lib/modules carry
     * no such path and stay valid wherever the image goes.
     */
    static void archiveClasses(Path image, Path work) throws IOException, InterruptedException {
        Path classList = work.resolve("classlist");
        String java = image.resolve("bin/java").toString();
        String dumpList = "-XX:DumpLoadedClassList=" + classList;
        List<String> moduleOptions = moduleOptions(image);
        // With the plugins, so that the JDK classes they load at start-up are archived too.
        if (exec(work.resolve("cds-training.out"), command(java, moduleOptions, dumpList, "-p",
                image.resolve("plugins").toString(), "-m", MAIN, "plugins")) != 0) {
            System.out.println("[image] WARNING: 'launcher plugins' failed in the image (see "
                    + work.resolve("cds-training.out") + "); the class list is trained without plugins");
            Path bare = work.resolve("cds-training-bare.out");
            if (exec(bare, java, dumpList, "-m", MAIN, "plugins") != 0) {
                throw new IllegalStateException("'launcher plugins' fails in the image even without plugins; see " + bare);
            }
        }
        // Classes of plugins and generated proxies are not found without the module path and are
        // skipped, with a warning each in the log.
        Path archive = image.resolve("lib/server/classes.jsa");
        Path log = work.resolve("cds-dump.out");
        if (exec(log, command(java, moduleOptions, "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive, "-m", MAIN)) != 0 || !Files.exists(archive)) {
            throw new IllegalStateException("the class data sharing dump failed; see " + log);
        }
    }

    /** {@code java}, then {@code options}, then {@code args}. */
    static String[] command(String java, List<String> options, String... args) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of(args));
        return command.toArray(String[]::new);
    }

    /** Runs {@code command} with an empty environment (but PATH), its output to {@code log}. */
    static int exec(Path log, String... command) throws IOException, InterruptedException {
        ProcessBuilder process = new ProcessBuilder(command);
        process.environment().clear();
        process.environment().put("PATH", "/usr/bin:/bin");
        process.redirectErrorStream(true).redirectOutput(log.toFile());
        return process.start().waitFor();
    }

    static void writeModuleList(Map<String, Set<String>> modules, Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("# The JDK modules linked into the image (jlink adds what these require), and why.");
            out.println("# Computed by src/image/BuildImage.java from jdeps, less the uses in src/image/unreached-uses;");
            out.println("# the hand-kept ones come from src/image/extra-modules.");
            modules.forEach((module, why) -> out.println(module + "\t" + String.join("; ", why)));
        }
    }

    // ---- small tools ----

    static java.util.Optional<ModuleDescriptor> descriptor(Path jar) {
        try {
            return ModuleFinder.of(jar).findAll().stream().findFirst().map(ModuleReference::descriptor);
        } catch (FindException e) {
            // A jar that is no module at all (say, an invalid automatic name) is still a plugin jar.
            System.out.println("[image] " + jar.getFileName() + " is not a module: " + e.getMessage());
            return java.util.Optional.empty();
        }
    }

    static boolean isJdkModule(String name) {
        return ModuleFinder.ofSystem().find(name).isPresent();
    }

    static Set<String> modulesOf(Path image) throws IOException {
        String release = Files.readString(image.resolve("release"));
        String line = release.lines().filter(l -> l.startsWith("MODULES=")).findFirst().orElse("MODULES=\"\"");
        return Stream.of(line.substring("MODULES=\"".length(), line.length() - 1).split(" "))
                .filter(BuildImage::isJdkModule).collect(Collectors.toCollection(TreeSet::new));
    }

    static String run(String tool, List<String> args) {
        ToolProvider provider = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(tool + " not found: build with a JDK, not a JRE"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
                PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8)) {
            code = provider.run(o, e, args.toArray(String[]::new));
        }
        if (code != 0) {
            throw new IllegalStateException(tool + " " + String.join(" ", args) + " failed with exit code " + code
                    + ":\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static void withoutModuleInfo(Path jar, Path copy) throws IOException {
        copyWithout(jar, copy, name -> name.equals("module-info.class")
                || name.matches("META-INF/versions/\\d+/module-info\\.class"), null);
    }

    /**
     * Copies a plugin jar into the image, leaving out async-profiler's native libraries for other
     * platforms (the Pyroscope agent carries macOS and linux-arm64 ones, 540 KB packed): the image's
     * own JVM only ever loads the one for its platform.
     */
    static void copyForThisPlatform(Path jar, Path copy, Instant timestamp) throws IOException {
        String ours = "libasyncProfiler-" + nativePlatform() + ".so";
        java.util.function.Predicate<String> otherPlatform = name -> name.startsWith("libasyncProfiler-")
                && !name.equals(ours) && !name.equals(ours + ".sha1");
        boolean trimmed;
        try (ZipFile in = new ZipFile(jar.toFile())) {
            trimmed = in.stream().map(ZipEntry::getName).anyMatch(otherPlatform);
        }
        if (trimmed) {
            copyWithout(jar, copy, otherPlatform, timestamp);
        } else {
            Files.copy(jar, copy);
        }
    }

    /** async-profiler's name for the platform of the JDK that builds the image, such as linux-x64. */
    static String nativePlatform() {
        String arch = System.getProperty("os.arch");
        return "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "arm64" : arch);
    }

    /** A copy of {@code jar} without the entries {@code leaveOut} names; fixed entry times if given. */
    static void copyWithout(Path jar, Path copy, java.util.function.Predicate<String> leaveOut, Instant timestamp)
            throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                String name = entry.getName();
                if (leaveOut.test(name)) {
                    continue;
                }
                ZipEntry kept = new ZipEntry(name);
                if (timestamp != null) {
                    kept.setTime(timestamp.toEpochMilli());
                }
                out.putNextEntry(kept);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    static List<Path> jarsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        }
    }

    static double mebibytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    static void recreate(Path dir) throws IOException {
        deleteRecursively(dir);
        Files.createDirectories(dir);
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                // The CDS archives are read-only; deleting needs only the directory's write bit.
                Files.delete(p);
            }
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    static int modeOf(Path file) throws IOException {
        Set<PosixFilePermission> set = Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        PosixFilePermission[] bits = PosixFilePermission.values();
        for (int i = 0; i < bits.length; i++) {
            if (set.contains(bits[i])) {
                mode |= 0400 >> i;
            }
        }
        return mode;
    }

    /**
     * A .tar.gz (POSIX ustar) that depends on nothing but the files: entries in name order, one
     * timestamp, owner root, permissions and symbolic links (jlink links duplicate legal notices)
     * kept as they are. Two builds still differ in lib/server/classes.jsa, which JDK 17 does not
     * dump the same way twice (README.md, bench/reproducible/run).
     */
    static final class Tar {

        private static final int BLOCK = 512;

        static void gzip(Path dir, Path archive, String top, Instant timestamp) throws IOException {
            Files.deleteIfExists(archive);
            try (OutputStream file = Files.newOutputStream(archive);
                    GZIPOutputStream gzip = new GZIPOutputStream(file, 1 << 16) {
                        {
                            def.setLevel(Deflater.BEST_COMPRESSION);
                        }
                    };
                    Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted().toList()) {
                    String name = top + (p.equals(dir) ? "" : "/" + dir.relativize(p).toString().replace('\\', '/'));
                    long mtime = timestamp.getEpochSecond();
                    if (Files.isSymbolicLink(p)) {
                        gzip.write(header(name, 0777, 0, mtime, '2', Files.readSymbolicLink(p).toString()));
                    } else if (Files.isDirectory(p)) {
                        gzip.write(header(name + "/", modeOf(p), 0, mtime, '5', ""));
                    } else {
                        long size = Files.size(p);
                        gzip.write(header(name, modeOf(p), size, mtime, '0', ""));
                        Files.copy(p, gzip);
                        gzip.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
                    }
                }
                gzip.write(new byte[2 * BLOCK]);
            }
        }

        private static byte[] header(String path, int mode, long size, long mtime, char type, String link) {
            byte[] h = new byte[BLOCK];
            String name = path;
            String prefix = "";
            if (bytes(path).length > 100) {
                // ustar splits a long path at a slash: up to 155 bytes of prefix, 100 of name.
                int cut = path.indexOf('/');
                while (cut > 0 && bytes(path.substring(cut + 1)).length > 100) {
                    cut = path.indexOf('/', cut + 1);
                }
                if (cut <= 0 || bytes(path.substring(0, cut)).length > 155) {
                    throw new IllegalArgumentException("path too long for a ustar archive: " + path);
                }
                prefix = path.substring(0, cut);
                name = path.substring(cut + 1);
            }
            put(h, 0, 100, bytes(name));
            put(h, 100, 8, octal(mode, 7));
            put(h, 108, 8, octal(0, 7));
            put(h, 116, 8, octal(0, 7));
            put(h, 124, 12, octal(size, 11));
            put(h, 136, 12, octal(mtime, 11));
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            put(h, 157, 100, bytes(link));
            put(h, 257, 6, bytes("ustar\0"));
            put(h, 263, 2, bytes("00"));
            put(h, 265, 32, bytes("root"));
            put(h, 297, 32, bytes("root"));
            put(h, 345, 155, bytes(prefix));
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, 8, bytes(String.format("%06o", sum) + "\0 "));
            return h;
        }

        private static byte[] octal(long value, int digits) {
            return bytes(String.format("%0" + digits + "o", value) + "\0");
        }

        private static byte[] bytes(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private static void put(byte[] header, int offset, int length, byte[] value) {
            if (value.length > length) {
                throw new IllegalArgumentException("tar header field too long: " + new String(value, StandardCharsets.UTF_8));
            }
            System.arraycopy(value, 0, header, offset, value.length);
        }
    }
}
