package dev.helloworld.core.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ConsoleLogging changes the process-wide java.util.logging set-up; each test puts it back. */
class ConsoleLoggingTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void restoreTheDefaultLoggingSetUp() throws IOException {
        LogManager.getLogManager().readConfiguration();
    }

    @Test
    void writesOneFormattedLinePerRecordAtOnce() {
        ConsoleLogging.install(out, false);
        System.getLogger("helloworld.http").log(System.Logger.Level.INFO, "service started");
        // No flush or close here: the handler must have written the line already.
        List<String> lines = output().lines().toList();
        assertEquals(1, lines.size(), () -> "output: " + lines);
        assertTrue(lines.get(0).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} INFO: \\[http] service started"),
                () -> "line: " + lines.get(0));
    }

    @Test
    void leavesOutDebugRecordsAndKeepsWarnings() {
        ConsoleLogging.install(out, false);
        System.Logger log = System.getLogger("helloworld.otlp");
        log.log(System.Logger.Level.DEBUG, "detail");
        log.log(System.Logger.Level.WARNING, "export failed");
        String text = output();
        assertFalse(text.contains("detail"), text);
        assertTrue(text.contains("WARNING: [otlp] export failed"), text);
    }

    @Test
    void printsStackTracesOnlyInDebugMode() {
        ConsoleLogging.install(out, true);
        System.getLogger("helloworld.otlp").log(System.Logger.Level.WARNING, "export failed",
                new IllegalStateException("refused"));
        String text = output();
        assertTrue(text.contains("WARNING: [otlp] export failed: refused"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: refused"), text);
    }

    @Test
    void quietensLibraryBannersEvenAfterGarbageCollection() throws InterruptedException {
        ConsoleLogging.install(out, false);
        collectGarbage();
        for (String library : List.of("org.xnio.nio", "io.undertow.server", "org.jboss.logging")) {
            Logger logger = Logger.getLogger(library);
            assertFalse(logger.isLoggable(Level.INFO), () -> library + " logs at INFO after a garbage collection");
            assertTrue(logger.isLoggable(Level.WARNING), () -> library + " does not log warnings");
        }
    }

    /** Runs the collector until a weakly held object is gone, as JUL's weakly held loggers would be. */
    private static void collectGarbage() throws InterruptedException {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sentinel.get() != null) {
            assertTrue(System.nanoTime() < deadline, "the garbage collector never cleared a weak reference");
            System.gc();
            Thread.onSpinWait();
        }
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
