package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code launcher run} as a real process: start, SIGTERM, failures in start and stop. */
class LifecycleIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Path home;

    @BeforeEach
    void distWithTheSamplePlugin() throws Exception {
        home = LauncherProcess.copyDist(dir, true);
        Files.copy(LauncherProcess.samplePluginJar(), home.resolve("lib").resolve("plugin-sample.jar"));
    }

    @Test
    void runsUntilSigtermThenStopsAndExitsZero() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(), "run", "--sample-greeting", "hi from IT")) {
            launcher.awaitStdout("[sample] hi from IT", START);
            launcher.awaitStdout("[sample] service started", START);

            launcher.terminate();

            assertEquals(0, launcher.awaitExit(START), "exit code after SIGTERM\n" + launcher.output());
            launcher.awaitStdout("[sample] goodbye", Duration.ZERO);
            launcher.awaitStdout("[sample] service stopped", Duration.ZERO);
            assertTrue(launcher.stdout().stream().allMatch(
                    l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d (INFO|WARNING|ERROR|DEBUG): \\[.+] .*")),
                    "every line in the original's format:\n" + launcher.output());
        }
    }

    @Test
    void aStartFailureIsOneLineAndExitOne() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(), "run", "--sample-fail", "start")) {
            assertEquals(1, launcher.awaitExit(START), "exit code\n" + launcher.output());
            launcher.awaitStdout("ERROR: [sample] failed to start: asked to fail by --sample-fail start", Duration.ZERO);
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains("\tat ")),
                    "no stack trace without --debug\n" + launcher.output());
        }
    }

    @Test
    void aStopFailureIsLoggedAndTheProcessStillEnds() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of(), "run", "--sample-fail", "stop")) {
            launcher.awaitStdout("[sample] service started", START);
            launcher.terminate();
            assertEquals(1, launcher.awaitExit(START), "a failed stop is a runtime failure\n" + launcher.output());
            launcher.awaitStdout("WARNING: [sample] failed to stop: asked to fail by --sample-fail stop", Duration.ZERO);
        }
    }

    @Test
    void aHangingStopIsAbandonedAtTheShutdownTimeout() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of("SAMPLE_FAIL", "hang-on-stop"),
                "run", "--shutdown-timeout", "1s")) {
            launcher.awaitStdout("[sample] service started", START);
            long before = System.nanoTime();
            launcher.terminate();
            assertEquals(1, launcher.awaitExit(START), "an abandoned stop is a runtime failure\n" + launcher.output());
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            launcher.awaitStdout("[sample] did not stop within its share of the shutdown timeout of 1s; abandoned", Duration.ZERO);
            assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "the process should end soon after the 1s timeout, took " + took);
        }
    }

    @Test
    void ctrlCSaysThatItIsFlushingAndASecondCtrlCQuitsAtOnceSayingSo() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(home, Map.of("SAMPLE_FAIL", "hang-on-stop"),
                "run", "--shutdown-timeout", "2m")) {
            launcher.awaitStdout("[sample] service started", START);

            launcher.interrupt();
            String stopping = launcher.awaitStdout("[launcher] stopping:", START);
            assertTrue(stopping.matches(".* INFO: \\[launcher] stopping: .*flushed.* up to 2m \\(--shutdown-timeout\\); "
                    + "Ctrl\\+C again quits without waiting"), "the line that announces the stop: " + stopping);

            // The stop that hangs (as an exporter flushing to a collector that does not answer) is
            // announced once it has taken a second, with how long the host will wait for it.
            String waiting = launcher.awaitStdout("INFO: [sample] still stopping; waiting for it at most ", START);
            assertTrue(waiting.matches(".* at most \\d+ms more \\(--shutdown-timeout 2m\\)"), waiting);

            long before = System.nanoTime();
            launcher.interrupt();
            assertEquals(1, launcher.awaitExit(START), "a second Ctrl+C quits with 1\n" + launcher.output());
            Duration took = Duration.ofNanos(System.nanoTime() - before);
            launcher.awaitStdout("WARNING: [launcher] second SIG" + LauncherProcess.interruptSignal()
                    + ": quitting now without waiting for the flush", Duration.ZERO);
            assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0,
                    "the second Ctrl+C should end the process long before the 2m timeout, took " + took);
        }
    }
}
