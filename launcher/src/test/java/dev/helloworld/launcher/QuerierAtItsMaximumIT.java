package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in querier at its most, {@code --query-rate 10000 --query-concurrency 128}, against
 * its own server with the default CPU work (issue 23: at 1 024 it held every connection, every
 * external probe timed out, and the process grew to 1 080 threads and 412 MiB). External probes
 * keep being answered, on the management port and on the data port; threads and resident memory
 * stay proportionate; and the stop summary counts the calls it cancelled apart from failures.
 */
class QuerierAtItsMaximumIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** plugin-querier's QuerierKeys.MAX_CONCURRENCY. */
    private static final int MAX_CONCURRENCY = 128;
    /**
     * The rest of the process: the JVM's own, the server's 2 I/O and 16 worker threads, the
     * management listener's, OkHttp's, the querier's pacer. Measured: 196 in all, so 68 others.
     */
    private static final int OTHER_THREADS = 100;
    /** The dist's -Xmx64m heap and the threads' stacks; measured at most 118 MiB (issue 23: 412 MiB at 1 024). */
    private static final long MAX_RSS_MIB = 250;

    @Test
    void probesAreAnsweredAndThreadsAndMemoryStayProportionateWhileTheQuerierRunsFlatOut() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--exporter", "none", "--http-address", "127.0.0.1", "--http-port", "0", "--management-port", "0",
                "--error-rate", "0", "--query-rate", "10000", "--query-concurrency", String.valueOf(MAX_CONCURRENCY))) {
            URI management = launcher.awaitManagementBase(PATIENCE);
            URI data = launcher.awaitHttpBase(PATIENCE);
            launcher.awaitStdout("[querier] service started", PATIENCE);
            List<Prober.Target> targets = List.of(
                    new Prober.Target("management /healthz", management, "/healthz", "127.0.0.1"),
                    new Prober.Target("management /readyz", management, "/readyz", "127.0.0.1"),
                    new Prober.Target("data /healthz", data, "/healthz", "127.0.0.1"));
            Prober.warmUp(targets);

            List<Prober.Result> results;
            List<ProcessSample> samples;
            try (Prober prober = new Prober(Duration.ofMillis(100), targets)) {
                samples = ProcessSample.every(Duration.ofMillis(250), 32, launcher.pid(), Path.of("no-gc-log"));
                results = prober.results();
            }
            int maxThreads = samples.stream().mapToInt(ProcessSample::threads).max().orElseThrow();
            long maxRssMib = samples.stream().mapToLong(ProcessSample::rssKib).max().orElseThrow() / 1024;
            System.out.printf("[QuerierAtItsMaximumIT] at most %d threads, %d MiB RSS, %d descriptors over 8 s; %s%n",
                    maxThreads, maxRssMib, samples.stream().mapToInt(ProcessSample::fds).max().orElseThrow(),
                    Prober.summary(results));

            // A probe every 100 ms, fewer when the machine is this busy (and it is: the querier and the server take both cores).
            Prober.assertAnsweredOnTime(results, 3 * 15, launcher::output);
            assertTrue(maxThreads <= MAX_CONCURRENCY + OTHER_THREADS, "threads: at most " + (MAX_CONCURRENCY + OTHER_THREADS)
                    + " expected (a thread per call in flight and " + OTHER_THREADS + " others), got " + maxThreads);
            assertTrue(maxRssMib <= MAX_RSS_MIB, "RSS: at most " + MAX_RSS_MIB + " MiB expected, got " + maxRssMib);

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            String total = launcher.awaitStdout("[querier] in total ", PATIENCE);
            System.out.println("[QuerierAtItsMaximumIT] " + total);
            assertTrue(total.matches(".* in total \\d+ calls in .*: 200=\\d+, skipped: \\d+(, cancelled at stop: \\d+)?, up to "
                    + MAX_CONCURRENCY + " in flight"), "the stop summary: only 200s, no failures (what stop cancelled counts "
                    + "apart): " + total);
            assertTrue(launcher.output().lines().noneMatch(l -> l.contains("ERROR") || l.startsWith("\tat ")),
                    "no ERROR line and no stack trace\n" + launcher.output());
        }
    }
}
