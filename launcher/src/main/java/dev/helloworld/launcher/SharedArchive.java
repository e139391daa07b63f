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
 * (the JVM writes the archive as it exits) and names the archive in {@value #PROPERTY}; the next
 * start takes the archive into use, and maps it from then on.
 *
 * <p>The JVM writes that archive at every exit, also after a mistyped flag, when it holds hardly
 * any class. Only a run that started every service and stopped cleanly marks its archive as worth
 * keeping, with an empty {@code .ok} file beside it; {@code bin/launcher} throws the others away.
 */
final class SharedArchive {

    /** The system property through which {@code bin/launcher} names the archive being trained. */
    static final String PROPERTY = "launcher.cds.training";

    private static final Logger LOG = System.getLogger(ServiceHost.LOGGER_PREFIX + "launcher");

    private final Path archive;

    private SharedArchive(Path archive) {
        this.archive = archive;
    }

    /** The archive this JVM writes at exit, if {@code bin/launcher} made this a training run. */
    static Optional<SharedArchive> training() {
        String path = System.getProperty(PROPERTY, "");
        return path.isBlank() ? Optional.empty() : Optional.of(new SharedArchive(Path.of(path)));
    }

    /** The marker that tells {@code bin/launcher} to keep this run's archive: {@code x.partial} → {@code x.ok}. */
    private static Path marker(Path archive) {
        String name = archive.getFileName().toString();
        return archive.resolveSibling(name.substring(0, name.length() - ".partial".length()) + ".ok");
    }

    /**
     * Marks the archive as worth keeping. Never throws: without an archive the next start is only
     * slower (and the start after it trains again), so a failure is one warning line.
     */
    void keep() {
        if (!archive.getFileName().toString().endsWith(".partial")) {
            LOG.log(Level.WARNING, "ignoring {0}={1}: not a .partial file", PROPERTY, archive);
            return;
        }
        try {
            Files.createFile(marker(archive));
            LOG.log(Level.INFO, "the JVM writes the plugins' class data sharing archive as it exits; later starts load their classes from it");
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not mark the class data sharing archive {0} for keeping: {1}", archive, e);
        }
    }
}
