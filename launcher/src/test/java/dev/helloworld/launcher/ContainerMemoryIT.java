package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime image where its ecosystem deploys it (issue 19): a container limited to 128 MiB of
 * memory, here a cgroup v1 memory group of its own, with every signal on (DEBUG=true: traces,
 * metrics, logs, and profiling with allocations and locks) and the querier's steady 200 calls a
 * second. The image is unpacked from inside the group, so that the page cache of its files, which
 * the service maps (libjvm.so, lib/modules, the archive), is charged to the group as in a container.
 *
 * <p>Over the whole run (75 s; -Dhelloworld.containerSeconds for longer; bench/container has the
 * 10-minute soak) the service is never killed, answers 99 % of the calls, and the group's
 * anonymous plus mapped-file memory, read every 200 ms from its memory.stat, stays at or under
 * 120 MiB: that is the image without a plugins' archive (115-117 MiB with the previous defaults,
 * BENCHMARKS.md, figure 7). Issue 19 asks for 100 MiB (20 % headroom); the bounds here are what
 * the build holds, not yet what is asked.
 * The same as a container image brings it: the plugins' archive trained by the Dockerfile's
 * deploy/container/train-archive, the image read-only to the user the service runs as; the archive
 * is mapped where it was dumped, the anonymous memory stays at or under 76 MiB and the peak at
 * or under 110 MiB.
 * Skipped, with the reason, where no cgroup v1 memory controller is writable.
 */
class ContainerMemoryIT {

    private static final long MIB = 1024 * 1024;
    private static final Path CGROUP_V1 = Path.of("/sys/fs/cgroup/memory");
    private static final long LIMIT = 128 * MIB;
    /** What this build's peak is held to without the plugins' archive; DeployIT checks the Kubernetes memory limit above it. */
    static final long PEAK_BOUND = 120 * MIB;
    /** The user a container runs the service as (deploy/container/Dockerfile's USER). */
    private static final int CONTAINER_USER = 10001;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path DEPLOY = Path.of(System.getProperty("helloworld.deploy", "../deploy"));
    /** Above 256 MiB bin/launcher trains the plugins' archive. */
    private static final long TRAINING_LIMIT = 512 * MIB;
    /** With the plugins' archive mapped where it was dumped (10-minute soak: 71.6 MiB of anonymous memory at most, 106.5 in all). */
    private static final long ARCHIVED_ANON_BOUND = 76 * MIB;
    static final long ARCHIVED_PEAK_BOUND = 110 * MIB;
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("helloworld.containerSeconds", 75));
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern QUERIER_TOTAL = Pattern.compile("\\[querier] in total (\\d+) calls in .*: 200=(\\d+) 500=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theImageWithEverySignalOnAt200CallsASecondSurvivesA128MiBContainerWithin120MiB() throws Exception {
        assumeTrue(Files.isWritable(CGROUP_V1.resolve("cgroup.procs")),
                "no writable cgroup v1 memory controller at " + CGROUP_V1 + " (needs root and cgroup v1)");
        Path group = Files.createDirectory(CGROUP_V1.resolve("helloworld-it-" + ProcessHandle.current().pid()));
        try {
            Files.writeString(group.resolve("memory.limit_in_bytes"), String.valueOf(LIMIT));
            Path home = unpackInside(group, ImageIT.archive(), dir);
            // Issue 19, still open: a JDK 25 image with every signal on stalls at this limit and
            // cannot stop within the shutdown timeout (its runtime takes 6 MiB more and trains no
            // plugins' archive); measured in BENCHMARKS.md, figure 7. The JDK 17 image, which the
            // README's build makes, is held to the bound here.
            int feature = ImageIT.runtimeFeature(home);
            assumeTrue(feature < 25, "a JDK " + feature + " image does not fit a 128 MiB container with every signal on yet");
            runAndMeasure(group, home, false);
        } finally {
            MemoryGroup.removeWhenEmpty(group);
        }
    }

    /**
     * A container image that brings the plugins' class data sharing archive along, as the
     * Dockerfile builds it: deploy/container/train-archive trains it at the install path (with
     * more memory: bin/launcher trains none under 256 MiB), and the service then runs as a user
     * that cannot write the image, as on a container's read-only root. The launcher finds the
     * archive in lib/app-cds and maps it at the address it was dumped for, so that its pages stay
     * clean file pages instead of relocated private copies: the service's anonymous memory stays
     * at or under 76 MiB (70-72 measured with this build's small-container defaults, 79-81 with
     * the previous ones, 101-105 without the archive: BENCHMARKS.md, figures 7 and 10), and the
     * peak of anonymous + mapped-file memory at or under 110 MiB (measured 104-106.5; issue 19
     * asks for 100).
     */
    @Test
    void withThePluginsArchiveTheContainerImageBringsItIsMappedFromTheReadOnlyImageAndStaysWithin110MiB()
            throws Exception {
        assumeTrue(Files.isWritable(CGROUP_V1.resolve("cgroup.procs")),
                "no writable cgroup v1 memory controller at " + CGROUP_V1 + " (needs root and cgroup v1)");
        assumeTrue(Files.isExecutable(SETPRIV), "no " + SETPRIV + " to run the service as a user other than the image's owner");
        Path group = Files.createDirectory(CGROUP_V1.resolve("helloworld-it-archive-" + ProcessHandle.current().pid()));
        try {
            Files.writeString(group.resolve("memory.limit_in_bytes"), String.valueOf(TRAINING_LIMIT));
            // Readable (not writable) by the service's user, as an image's files are.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path home = unpackInside(group, ImageIT.archive(), dir);
            int feature = ImageIT.runtimeFeature(home);
            assumeTrue(feature < 25, "a JDK " + feature + " image trains no plugins' archive");
            train(group, home);
            Files.writeString(group.resolve("memory.limit_in_bytes"), String.valueOf(LIMIT));
            runAndMeasure(group, home, true);
        } finally {
            MemoryGroup.removeWhenEmpty(group);
        }
    }

    /** deploy/container/train-archive, from inside the group, so that the archive's pages are charged to it. */
    private void train(Path group, Path home) throws Exception {
        Path script = DEPLOY.resolve("container/train-archive").toAbsolutePath();
        // The JDK that runs the tests runs the script's sink, as the Dockerfile's build stage's does.
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        try (LauncherProcess training = runInside(group, env, script.toString(), home.toString());
                Stream<Path> files = Files.list(home.resolve("lib/app-cds"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".jsa")), "train-archive left the archive in lib/app-cds\n" + training.output());
        }
    }

    /**
     * The service in the group; as the image's user, or as {@link #CONTAINER_USER}, who cannot
     * write the image (a container's read-only root), with a home of its own.
     */
    private LauncherProcess startService(Path group, Path home, OtlpReceiver collector, PyroscopeReceiver pyroscope,
            boolean asContainerUser) throws IOException {
        List<String> command = new ArrayList<>(List.of("-c", MemoryGroup.JOIN_THEN_EXEC, group.toString()));
        Path userHome = home.getParent();
        if (asContainerUser) {
            userHome = Files.createDirectories(dir.resolve("container-user-home"));
            Files.setAttribute(userHome, "unix:uid", CONTAINER_USER);
            command.addAll(List.of(SETPRIV.toString(), "--reuid=" + CONTAINER_USER, "--regid=" + CONTAINER_USER, "--clear-groups"));
        }
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", userHome.toString(), "DEBUG", "true");
        command.addAll(List.of(home.resolve("bin/launcher").toString(), "run",
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                "--profiling-endpoint", pyroscope.baseUri().toString(),
                "--http-port", "0", "--http-address", "127.0.0.1",
                "--query-rate", "200", "--query-concurrency", "8", "--work-scale", "0"));
        return LauncherProcess.exec(Path.of("/bin/sh"), env, command.toArray(String[]::new));
    }

    private void runAndMeasure(Path group, Path home, boolean archived) throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess service = startService(group, home, collector, pyroscope, archived)) {
            service.awaitStdout("[querier] service started", START);
            // bin/launcher execs java: the service's pid is the JVM's.
            String commandLine = Files.readString(Path.of("/proc/" + service.pid() + "/cmdline")).replace('\0', ' ');
            assertEquals(archived, commandLine.contains("-XX:SharedArchiveFile=" + home.resolve("lib/app-cds") + "/"),
                    "the plugins' archive used, from the image's lib/app-cds: " + commandLine);
            assertEquals(archived, commandLine.contains("-XX:ArchiveRelocationMode=0"),
                    "mapped where it was dumped exactly when there is one: " + commandLine);
            // The JVM's defaults from the group's limit: a quarter of it for the heap, C1 alone.
            for (String option : List.of("-Xmx32m ", "-Xmn6m ", "-XX:MaxHeapFreeRatio=20 ", "-XX:TieredStopAtLevel=1 ")) {
                assertTrue(commandLine.contains(" " + option), option + "from the 128 MiB limit: " + commandLine);
            }

            long peak = 0;
            long peakAnon = 0;
            long samples = 0;
            long deadline = System.nanoTime() + RUN.toNanos();
            while (System.nanoTime() < deadline) {
                assertTrue(ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive).orElse(false),
                        "the service died after " + samples + " samples (killed at the limit?); " + oomControl(group)
                                + "\n" + service.output());
                Map<String, Long> stat = memoryStat(group);
                peak = Math.max(peak, stat.get("rss") + stat.get("mapped_file"));
                peakAnon = Math.max(peakAnon, stat.get("rss"));
                samples++;
                // Sampling pace, not synchronisation: memory.stat is a snapshot.
                TimeUnit.MILLISECONDS.sleep(200);
            }

            service.terminate();
            assertEquals(0, service.awaitExit(START), "exit code after SIGTERM\n" + service.output());
            assertTrue(oomControl(group).contains("oom_kill 0"), "no process of the group killed: " + oomControl(group));
            assertTrue(peak <= PEAK_BOUND, String.format("the peak of anonymous + mapped-file memory over %d samples in %s"
                    + " should be at most 120 MiB (issue 19 asks for 100), was %.1f MiB", samples, RUN, peak / (double) MIB));
            if (archived) {
                assertTrue(peakAnon <= ARCHIVED_ANON_BOUND, String.format("the peak of anonymous memory over %d samples in %s"
                        + " with the plugins' archive should be at most 76 MiB, was %.1f MiB", samples, RUN, peakAnon / (double) MIB));
                assertTrue(peak <= ARCHIVED_PEAK_BOUND, String.format("the peak of anonymous + mapped-file memory over %d samples"
                        + " in %s with the plugins' archive should be at most 110 MiB, was %.1f MiB", samples, RUN, peak / (double) MIB));
            }
            assertTrue(service.stderr().isEmpty(), "nothing on standard error\n" + service.output());

            Matcher total = service.stdout().stream().map(QUERIER_TOTAL::matcher).filter(Matcher::find).findFirst()
                    .orElseThrow(() -> new AssertionError("no querier summary\n" + service.output()));
            long calls = Long.parseLong(total.group(1));
            long answered = Long.parseLong(total.group(2)) + Long.parseLong(total.group(3));
            assertTrue(calls >= RUN.toSeconds() * 200 / 2, "at least half the 200 calls a second were made: " + total.group());
            assertTrue(answered >= calls * 99 / 100, "99 % of the calls answered: " + total.group());
        }
    }

    /** {@code command} from inside the group, run to its end: fails unless it exits 0 within two minutes. */
    private static LauncherProcess runInside(Path group, Map<String, String> env, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-c", MemoryGroup.JOIN_THEN_EXEC, group.toString()));
        args.addAll(List.of(command));
        LauncherProcess process = LauncherProcess.exec(Path.of("/bin/sh"), env, args.toArray(String[]::new));
        assertEquals(0, process.awaitExit(Duration.ofMinutes(2)), String.join(" ", command) + " in " + group + "\n" + process.output());
        return process;
    }

    /** The group's memory.stat: rss (anonymous) and mapped_file, in bytes. */
    private static Map<String, Long> memoryStat(Path group) throws IOException {
        Map<String, Long> stat = new HashMap<>();
        for (String line : Files.readAllLines(group.resolve("memory.stat"))) {
            String[] kv = line.split(" ");
            if (kv[0].equals("rss") || kv[0].equals("mapped_file")) {
                stat.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return stat;
    }

    private static String oomControl(Path group) throws IOException {
        return Files.readString(group.resolve("memory.oom_control")).replace('\n', ' ').trim();
    }

    /** tar -xzf from inside the group, so that the image's page cache is charged to it; then sync. */
    private static Path unpackInside(Path group, Path archive, Path into) throws Exception {
        runInside(group, Map.of("PATH", "/usr/bin:/bin"), "tar", "-xzf", archive.toString(), "-C", into.toString()).close();
        // Written out, so that what the service does not map is clean cache the group can drop
        // at no cost, as an image layer read from disk would be.
        assertEquals(0, new ProcessBuilder("sync").inheritIO().start().waitFor(), "sync");
        return into.resolve(archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""));
    }
}
