package dev.helloworld.launcher;

import dev.helloworld.core.host.ServiceHost;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The runtime image's class data sharing archive of the plugins' classes, as a training run sees it.
 *
 * <p>The image's own archive holds the JDK's and the launcher's classes only: JDK 17 records the
 * absolute path of every module path jar it archives, so the plugins' classes can only be archived
 * where the image is installed. When {@code bin/launcher} finds no archive for its directory, its
 * plugin jars and its {@code JAVA_OPTS}, it runs {@code run} with {@code -XX:ArchiveClassesAtExit}
 * (the JVM writes the archive as it exits) and names, in {@value #PROPERTY}, the marker file that
 * would tell its next start to keep that archive.
 *
 * <p>On JDK 25 the same marker keeps the AOT configuration that {@code -XX:AOTMode=record} writes
 * at exit, from which the next start makes the AOT cache that replaces the archive there.
 *
 * <p>The JVM writes the archive at every exit, also after a mistyped flag, when it holds hardly
 * any class. Only a run that started every service and stopped cleanly creates the marker;
 * {@code bin/launcher} throws the unmarked archives away. The script owns the file names.
 */
final class SharedArchive {

    /** The system property through which {@code bin/launcher} names the marker of a training run. */
    static final String PROPERTY = "launcher.cds.marker";

    private static final Logger LOG = System.getLogger(ServiceHost.LOGGER_PREFIX + "launcher");

    private final Path marker;

    private SharedArchive(Path marker) {
        this.marker = marker;
    }

    /** The archive this JVM writes at exit, if {@code bin/launcher} made this a training run. */
    static Optional<SharedArchive> training() {
        String path = System.getProperty(PROPERTY, "");
        return path.isBlank() ? Optional.empty() : Optional.of(new SharedArchive(Path.of(path)));
    }

    /**
     * Marks the archive as worth keeping. Never throws: without an archive the next start is only
     * slower (and the start after it trains again), so a failure is one warning line.
     */
    void keep() {
        try {
            Files.createFile(marker);
            LOG.log(Level.INFO, "the JVM writes the classes it loaded as it exits; later starts load the plugins' classes from"
                    + " what it writes (a class data sharing archive; on JDK 25, an AOT cache made at the next start)");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not mark the class data sharing archive for keeping ({0}): {1}", marker, e);
        }
    }
}
