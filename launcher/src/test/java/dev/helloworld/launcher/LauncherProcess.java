package dev.helloworld.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real {@code bin/launcher} child process with a clean environment, its output collected line by
 * line so that tests can wait for what they expect (with a deadline) instead of sleeping.
 */
final class LauncherProcess implements AutoCloseable {

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread[] pumps;
    /** Whether each stream has ended; guarded by its list. */
    private final boolean[] ended = new boolean[2];

    private LauncherProcess(Process process) {
        this.process = process;
        this.pumps = new Thread[] {pump(process.getInputStream(), stdout, 0), pump(process.getErrorStream(), stderr, 1)};
    }

    /** The distribution built by {@code mvn package}. */
    static Path dist() {
        return Path.of(System.getProperty("helloworld.dist", "target/dist"));
    }

    /** The sample plugin's jar, copied next to the build for the tests to drop into lib/. */
    static Path samplePluginJar() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("helloworld.testPlugins", "target/test-plugins")))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("plugin-sample")).findFirst()
                    .orElseThrow(() -> new AssertionError("plugin-sample jar not found; run mvn verify"));
        }
    }

    /**
     * A copy of the distribution in {@code dir}, so that a test can add and remove jars. With
     * {@code bare}, lib/ keeps only what the launcher needs itself (no bundled plugins).
     */
    static Path copyDist(Path dir, boolean bare) throws IOException {
        Path home = dir.resolve("dist");
        try (Stream<Path> files = Files.walk(dist())) {
            for (Path source : files.toList()) {
                Path target = home.resolve(dist().relativize(source).toString());
                String name = source.getFileName().toString();
                if (bare && Files.isRegularFile(source) && source.getParent().endsWith("lib")
                        && !name.matches("(core|launcher|picocli)-.*\\.jar")) {
                    continue;
                }
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return home;
    }

    /** {@code args} after {@code modeFlag} ("--class-path"), or alone when it is empty (the module path). */
    static String[] inMode(String modeFlag, String... args) {
        return modeFlag.isEmpty() ? args : Stream.concat(Stream.of(modeFlag), Stream.of(args)).toArray(String[]::new);
    }

    /** Starts {@code home/bin/launcher args} with only PATH, JAVA_HOME and {@code env} set. */
    static LauncherProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        return exec(home.resolve("bin/launcher"), cleanEnvironment(env), args);
    }

    /** Starts {@code executable args} with exactly {@code environment}. */
    static LauncherProcess exec(Path executable, Map<String, String> environment, String... args) throws IOException {
        return exec(null, executable, environment, args);
    }

    /** Starts {@code executable args} in {@code workingDir} (if not null; a relative executable is found there). */
    static LauncherProcess exec(Path workingDir, Path executable, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new LauncherProcess(builder.start());
    }

    private static Map<String, String> cleanEnvironment(Map<String, String> env) {
        Map<String, String> clean = new java.util.HashMap<>();
        clean.put("PATH", "/usr/bin:/bin");
        clean.put("JAVA_HOME", System.getProperty("java.home"));
        clean.putAll(env);
        return clean;
    }

    /** Runs to completion and returns the exit code; fails if it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("launcher still running after " + timeout + "\n" + output());
        }
        for (Thread pump : pumps) {
            pump.join(5000);
        }
        return process.exitValue();
    }

    /** Waits for a line of standard output matching {@code matcher} and returns it. */
    String awaitStdout(Predicate<String> matcher, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stdout) {
            int seen = 0;
            while (true) {
                for (; seen < stdout.size(); seen++) {
                    if (matcher.test(stdout.get(seen))) {
                        return stdout.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || ended[0]) {
                    break;
                }
                // The pump notifies on every line, and once more when the stream ends.
                TimeUnit.NANOSECONDS.timedWait(stdout, left);
            }
        }
        throw new AssertionError("no line on stdout with " + what + " within " + timeout + "\n" + output());
    }

    String awaitStdout(String fragment, Duration timeout) throws InterruptedException {
        return awaitStdout(line -> line.contains(fragment), timeout, "'" + fragment + "'");
    }

    /**
     * Waits for the http plugin's {@code listening on ..., try http://host:port/helloworld} line
     * and returns the base URI it names, such as {@code http://127.0.0.1:41234}.
     */
    java.net.URI awaitHttpBase(Duration timeout) throws InterruptedException {
        String line = awaitStdout(l -> l.contains("[http] listening on ") && l.contains(", try http"), timeout,
                "the http plugin's 'listening on' line");
        String uri = line.substring(line.indexOf(", try ") + ", try ".length()).trim();
        return java.net.URI.create(uri.substring(0, uri.indexOf('/', "http://".length())));
    }

    /**
     * Waits for the http plugin's {@code probes also on ..., http://host:port/healthz ...} line
     * (with --management-port) and returns the management listener's base URI.
     */
    java.net.URI awaitManagementBase(Duration timeout) throws InterruptedException {
        String line = awaitStdout(l -> l.contains("[http] probes also on "), timeout,
                "the http plugin's 'probes also on' line");
        String uri = line.substring(line.indexOf("http://"));
        return java.net.URI.create(uri.substring(0, uri.indexOf('/', "http://".length())));
    }

    /** SIGTERM, as a service manager or {@code kill} sends it. */
    void terminate() {
        // Not process.destroy(): it also closes our end of the pipes, losing the shutdown's log.
        process.toHandle().destroy();
    }

    /**
     * SIGINT, as Ctrl+C in a terminal sends it; SIGTERM instead where this process ignores SIGINT
     * (a background job of a non-interactive shell), since the child inherits that and its JVM then
     * never sees a SIGINT. The launcher treats both alike; {@link #interruptSignal} says which.
     */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + interruptSignal(), Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + interruptSignal() + " " + process.pid() + " failed");
        }
    }

    /** INT, or TERM where SIGINT is ignored in this process tree. */
    static String interruptSignal() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (ignored & (1L << (2 - 1))) != 0 ? "TERM" : "INT";
            }
        }
        return "INT";
    }

    long pid() {
        return process.pid();
    }

    List<String> stdout() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Everything seen so far, for failure messages. */
    String output() {
        return "--- stdout:\n" + String.join("\n", stdout()) + "\n--- stderr:\n" + String.join("\n", stderr());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Thread pump(InputStream stream, List<String> lines, int index) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                synchronized (lines) {
                    ended[index] = true;
                    lines.notifyAll();
                }
            }
        }, "launcher-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
