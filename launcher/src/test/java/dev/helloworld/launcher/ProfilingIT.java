package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.PyroscopeReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 6 through the real launcher: periodic uploads, and the last snapshot on SIGTERM. */
class ProfilingIT {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void uploadsWithinTwoIntervalsAndOnceMoreOnSigterm() throws Exception {
        try (PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                        "run", "--exporter", "none", "--enable-profiling", "--http-port", "0",
                        "--profiling-endpoint", pyroscope.baseUri() + "/pyroscope",
                        "--profiling-upload-interval", "2s", "--query-interval", "200ms")) {
            launcher.awaitStdout("[profiling] service started", PATIENCE);
            Instant started = Instant.now();

            PyroscopeReceiver.Upload first = pyroscope.awaitUpload(u -> u.path().equals("/pyroscope/ingest"),
                    INTERVAL.multipliedBy(2).plus(Duration.ofSeconds(3)));
            assertTrue(first.receivedAt().isBefore(started.plus(INTERVAL.multipliedBy(2)).plusSeconds(3)),
                    "first upload at " + first.receivedAt() + ", started at " + started);
            assertTrue(first.query("name").startsWith("helloworld{"), "application name with labels: " + first.query("name"));
            assertEquals("jfr", first.query("format"), "format");

            long sigterm = Instant.now().getEpochSecond();
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            var uploads = pyroscope.uploads();
            long lastUntil = Long.parseLong(uploads.get(uploads.size() - 1).query("until"));
            assertTrue(lastUntil >= sigterm, "stop should upload the snapshot that runs up to the stop: the last "
                    + "upload ends at " + lastUntil + ", SIGTERM was sent at " + sigterm + "\n" + uploads);
        }
    }
}
