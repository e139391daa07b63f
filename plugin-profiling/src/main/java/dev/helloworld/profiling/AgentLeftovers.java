package dev.helloworld.profiling;

import io.pyroscope.PyroscopeAsyncProfiler;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removes the copy of the native library that the agent unpacks into {@code java.io.tmpdir} on
 * first use, even though {@link ProfilerLibrary} has loaded it already: the agent never deletes
 * it, so each run would leave half a megabyte in /tmp.
 */
final class AgentLeftovers {

    private AgentLeftovers() {}

    static void removeLibraryCopy() {
        try {
            // A package-private constant of the agent; readable because an automatic module
            // (and the class path) opens every package.
            Field field = PyroscopeAsyncProfiler.class.getDeclaredField("libraryPath");
            field.setAccessible(true);
            Path library = Path.of((String) field.get(null));
            Files.deleteIfExists(library);
            Files.deleteIfExists(library.getParent());
        } catch (ReflectiveOperationException | RuntimeException | IOException e) {
            // Another agent version, or a folder shared with something else: only litter is left.
        }
    }
}
