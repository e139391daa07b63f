package dev.helloworld.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cgroup v1 memory group of a test's own, under /sys/fs/cgroup/memory, for child processes that
 * should see what a container's process sees: its memory limit, and its group's path in
 * /proc/self/cgroup (where OpenTelemetry's resource detectors find a container id). Created with
 * its parents; closing removes them again, deepest first, once their processes have gone.
 */
final class MemoryGroup implements AutoCloseable {

    static final Path ROOT = Path.of("/sys/fs/cgroup/memory");
    /** sh -c's script: join the group given as $0, then become the command ($@), keeping the pid. */
    static final String JOIN_THEN_EXEC = "echo $$ >\"$0/cgroup.procs\" && exec \"$@\"";

    private final List<Path> created;

    private MemoryGroup(List<Path> created) {
        this.created = created;
    }

    /** Why a test cannot have a group here, for a JUnit assumption; empty when it can. */
    static String unavailableReason() {
        return Files.isWritable(ROOT.resolve("cgroup.procs")) ? ""
                : "no writable cgroup v1 memory controller at " + ROOT + " (needs root and cgroup v1)";
    }

    /** The group at {@code relative} under the root, with whichever of its parents did not exist. */
    static MemoryGroup create(String relative) throws IOException {
        List<Path> created = new ArrayList<>();
        Path path = ROOT;
        for (Path part : Path.of(relative)) {
            path = path.resolve(part);
            if (!Files.isDirectory(path)) {
                created.add(Files.createDirectory(path));
            }
        }
        return new MemoryGroup(created);
    }

    Path path() {
        return created.get(created.size() - 1);
    }

    /** /bin/sh's arguments that move the shell into this group, then exec {@code command}. */
    String[] joinThenExec(String... command) {
        List<String> args = new ArrayList<>(List.of("-c", JOIN_THEN_EXEC, path().toString()));
        args.addAll(List.of(command));
        return args.toArray(String[]::new);
    }

    /** A group can be removed once its last process has gone; that can take a moment. */
    @Override
    public void close() throws Exception {
        for (int i = created.size() - 1; i >= 0; i--) {
            removeWhenEmpty(created.get(i));
        }
    }

    static void removeWhenEmpty(Path group) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                Files.delete(group);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not remove " + group + ": " + e);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }
}
