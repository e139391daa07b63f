package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The size limits of issue 7 for the runtime image as built: what a user downloads (the .tar.gz)
 * and what it takes once unpacked (the sum of its files; symbolic links count for nothing).
 */
class ImageSizeIT {

    private static final long MIB = 1024 * 1024;

    @Test
    void theImageTakesAtMostSixtyMebibytesOnDisk() throws IOException {
        long size = sizeOf(Path.of(System.getProperty("helloworld.image", "target/image")));
        assertTrue(size <= 60 * MIB, "the image should take at most 60 MiB, takes " + mebibytes(size)
                + "; see launcher/src/image/README.md for where the space goes");
    }

    @Test
    void theTarGzIsAtMostThirtyFiveMebibytes() throws IOException {
        long size = Files.size(ImageIT.archive());
        assertTrue(size <= 35 * MIB, "the .tar.gz should be at most 35 MiB, is " + mebibytes(size)
                + "; see launcher/src/image/README.md for where the space goes");
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static String mebibytes(long bytes) {
        return String.format("%.1f MiB (%d bytes)", bytes / (double) MIB, bytes);
    }
}
