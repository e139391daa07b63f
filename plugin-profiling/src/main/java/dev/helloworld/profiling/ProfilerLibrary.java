package dev.helloworld.profiling;

import io.pyroscope.javaagent.PyroscopeAgent;
import io.pyroscope.vendor.one.profiler.AsyncProfiler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads async-profiler's native library: the copy the runtime image ships in its {@code lib/} when
 * there is one, else the one the agent jar carries, unpacked into a folder we choose.
 *
 * <p>The agent would unpack it under {@code java.io.tmpdir} and load it from there, which fails
 * where /tmp is mounted noexec (Docker's {@code --tmpfs /tmp}, hardened hosts). async-profiler keeps
 * one instance per process and returns it whatever path is asked for later, so loading it here
 * first is what the agent then uses. The container image unpacks it into the image's {@code lib/}
 * when it is built (deploy/container/Dockerfile), beside libjvm.so: a read-only root still maps it,
 * and no writable folder needs exec. Elsewhere it is unpacked into {@code --profiling-tmp-dir} and
 * deleted once loaded: the mapping stays valid and nothing is left behind, as async-profiler does
 * itself.
 */
final class ProfilerLibrary {

    private static AsyncProfiler loaded;

    private ProfilerLibrary() {}

    /**
     * The process's async-profiler, loading it the first time from the runtime image's {@code lib/}
     * if the library is there, else from a fresh private folder inside {@code dir}.
     *
     * @throws IllegalStateException with a message naming where it was loaded from and what to do
     */
    static synchronized AsyncProfiler load(Path dir) {
        if (loaded != null) {
            return loaded;
        }
        String resource = resourceName();
        Path shipped = shippedIn(Path.of(System.getProperty("java.home")), resource);
        if (Files.isRegularFile(shipped)) {
            try {
                loaded = AsyncProfiler.getInstance(shipped.toString());
                return loaded;
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("cannot load the profiler's native library " + shipped + ": "
                        + reason(e) + "; the image's lib/ must be on a file system that allows executing files", e);
            }
        }
        return unpackAndLoad(dir, resource);
    }

    /** Where a runtime image keeps the library: its lib/, beside the JVM's own (java.home is the image). */
    private static Path shippedIn(Path javaHome, String resource) {
        return javaHome.resolve("lib").resolve(resource);
    }

    private static AsyncProfiler unpackAndLoad(Path dir, String resource) {
        Path folder;
        try {
            folder = Files.createTempDirectory(dir, "helloworld-profiler-");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot create a folder in " + dir + " for the profiler's native library ("
                    + e + "); set --profiling-tmp-dir or PYROSCOPE_TMP_DIR to a writable folder", e);
        }
        Path library = folder.resolve(resource);
        try {
            try (InputStream in = PyroscopeAgent.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("the agent jar has no " + resource);
                }
                Files.copy(in, library);
            }
            loaded = AsyncProfiler.getInstance(library.toString());
            return loaded;
        } catch (IOException e) {
            throw new IllegalStateException("cannot unpack the profiler's native library into " + folder + ": " + e, e);
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load the profiler's native library from " + dir + ": " + reason(e)
                    + "; if that folder is on a noexec mount, set --profiling-tmp-dir or PYROSCOPE_TMP_DIR to one that allows executing files", e);
        } finally {
            deleteQuietly(library);
            deleteQuietly(folder);
        }
    }

    /**
     * Why the linker refused, such as "failed to map segment from shared object" (noexec): its
     * message repeats the path twice before the reason, and the path is in ours already.
     */
    private static String reason(UnsatisfiedLinkError e) {
        String message = e.getMessage();
        return message == null ? e.toString() : message.substring(message.lastIndexOf(": ") + 1).trim();
    }

    /** The library's name inside the agent jar for this platform, as the agent itself picks it. */
    private static String resourceName() {
        String os = System.getProperty("os.name");
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (os.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return "libasyncProfiler-linux-x64.so";
        }
        if (os.equals("Linux") && arch.equals("aarch64")) {
            return "libasyncProfiler-linux-arm64.so";
        }
        if (os.startsWith("Mac")) {
            return "libasyncProfiler-macos.so";
        }
        throw new IllegalStateException("profiling is not supported on " + os + "/" + arch
                + " (async-profiler runs on Linux x64/arm64 and macOS); use --no-enable-profiling");
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Only litter in a temporary folder; the profiler works either way.
        }
    }
}
