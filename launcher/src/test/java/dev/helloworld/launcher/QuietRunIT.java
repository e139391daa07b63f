package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal run with every signal on (DEBUG=true: traces, metrics, logs, and profiling with
 * allocations and locks) writes nothing to standard error, from the plain distribution on the JDK
 * that runs the suite and from the runtime image that JDK built (issue 20): JDK 24 and later warn
 * about native access and sun.misc.Unsafe unless the scripts grant them. The image runs twice,
 * since its first run trains the plugins' class data sharing archive and the second maps it, and
 * each JDK checks that archive against the run's options in its own way.
 */
class QuietRunIT {

    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theDistributionRunsWithEverySignalOnWithoutAWordOnStandardError() throws Exception {
        runWithEverySignalOn(LauncherProcess.dist().resolve("bin/launcher"),
                Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    @Test
    void theImageRunsWithEverySignalOnWithoutAWordOnStandardErrorBothWhenTrainingItsArchiveAndAfter() throws Exception {
        Path home = unpack(ImageIT.archive(), dir);
        runWithEverySignalOn(home.resolve("bin/launcher"), Map.of());
        runWithEverySignalOn(home.resolve("bin/launcher"), Map.of());
    }

    private void runWithEverySignalOn(Path launcher, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new HashMap<>(extraEnv);
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("DEBUG", "true");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
        try (OtlpReceiver collector = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess process = LauncherProcess.exec(launcher, env, "run",
                        "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-upload-interval", "1s",
                        "--http-port", "0", "--http-address", "127.0.0.1", "--query-interval", "200ms")) {
            collector.awaitSpan("handle/hello_world", START);
            collector.awaitMetrics(metrics -> !metrics.isEmpty(), START);
            collector.awaitLogRecords(records -> !records.isEmpty(), START);
            pyroscope.awaitUpload(u -> u.samples().stream().anyMatch(s -> !s.frames().isEmpty()), START);

            process.terminate();

            assertEquals(0, process.awaitExit(START), "exit code after SIGTERM\n" + process.output());
            assertTrue(process.stderr().isEmpty(), launcher + " with every signal on (JDK "
                    + Runtime.version().feature() + " runs the suite) should write nothing to standard error\n"
                    + process.output());
        }
    }

    /** Unpacks with the system's tar, as a user would; the archive holds one top directory. */
    private static Path unpack(Path archive, Path into) throws Exception {
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), "tar -xzf " + archive + "\n" + output);
        Path top = into.resolve(archive.getFileName().toString().replaceFirst("\\.tar\\.gz$", ""));
        assertTrue(Files.isExecutable(top.resolve("bin/launcher")), "bin/launcher in " + top);
        return top;
    }
}
