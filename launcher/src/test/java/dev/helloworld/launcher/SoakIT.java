package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench/soak/soak.sh in small: 60 s at a steady 50 calls a second with every signal on, sampled
 * once a second from outside, with no upward trend in memory and no growth in threads or file
 * descriptors.
 *
 * <p>How "no upward trend beyond noise" is decided: the first 10 s are warm-up (classes load, the
 * JIT compiles, pools fill) and not judged; then the medians of 10-30 s and 40-60 s are compared.
 * Medians, because one sample can catch a collection or a burst. The tolerances come from runs on
 * the 2-core CI machine: the heap after GC sits at 10-12 MiB and the GC log reports it in whole
 * MiB, so 3 MiB is noise plus one step, and catches a leak of about 2 KiB per call or more (the
 * ten-minute soak catches ten times less). RSS, with the heap touched at start, grows outside the
 * heap: the JIT's code cache by a few MiB in the first minute, and, with every signal on, by
 * about 30 MiB in one step some 25-30 s after start that then holds (a run with the exporter and
 * the profiler off has no such step; not pinned down further), so it gets 48 MiB; the soak
 * script's slope after warm-up is the finer judge of native growth. Threads and
 * descriptors are counted exactly; 2 more is the JIT's compiler threads, which the JVM starts and
 * retires as it sees fit, and a connection being replaced in a pool.
 */
class SoakIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final int SECONDS = 60;
    private static final long MIB = 1024;

    @TempDir
    Path dir;

    @Test
    void sixtySecondsOfSteadyLoadShowNoUpwardTrendAndNoThreadOrDescriptorGrowth() throws Exception {
        Path gcLog = dir.resolve("gc.log");
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                        // The soak script's heap (see soak.sh): bounded, so that collections are frequent,
                        // and touched at start, so that RSS shows what grows outside the heap.
                        Map.of("JAVA_OPTS", "-Xms128m -Xmx128m -XX:+AlwaysPreTouch -Xlog:gc:file=" + gcLog,
                                "OTEL_METRIC_EXPORT_INTERVAL", "5000"),
                        "run", "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                        "--enable-traces", "--enable-metrics", "--enable-logs", "--enable-profiling",
                        "--profiling-endpoint", pyroscope.baseUri().toString(), "--profiling-upload-interval", "10s",
                        "--http-address", "127.0.0.1", "--http-port", "0", "--work-scale", "0",
                        "--query-rate", "50", "--query-concurrency", "8")) {
            launcher.awaitStdout("[querier] service started", PATIENCE);

            List<ProcessSample> samples = ProcessSample.every(Duration.ofSeconds(1), SECONDS, launcher.pid(), gcLog);

            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            String total = launcher.awaitStdout("[querier] in total", Duration.ZERO);
            String summary = launcher.awaitStdout("[otlp] traces: ", Duration.ZERO);
            System.out.println("[SoakIT] " + total.substring(total.indexOf("in total")) + "; "
                    + summary.substring(summary.indexOf("traces: ")) + "\n[SoakIT] samples: " + samples);
            StopSummary stop = StopSummary.parse(summary);
            boolean nothingLost = stop.spans().map(i -> i.balanced() && i.discarded() == 0).orElse(false)
                    && stop.logs().map(i -> i.balanced() && i.discarded() == 0).orElse(false)
                    && stop.metricExports().map(m -> m[1] == 0).orElse(false) && stop.exporterBehind() == 0;
            assertTrue(nothingLost, "a steady load that the collector keeps up with loses nothing and records every trace: "
                    + summary);
            assertTrue(otlp.spans().size() > 10_000, "spans received: " + otlp.spans().size());

            List<ProcessSample> first = samples.subList(10, 30);
            List<ProcessSample> last = samples.subList(40, 60);
            assertNoGrowth("heap after GC (KiB)", ProcessSample::heapAfterGcKib, first, last, 3 * MIB, samples);
            assertNoGrowth("RSS (KiB)", ProcessSample::rssKib, first, last, 48 * MIB, samples);
            assertAtMost("threads", ProcessSample::threads, first, last, 2, samples);
            assertAtMost("open file descriptors", ProcessSample::fds, first, last, 2, samples);
        }
    }

    private static void assertNoGrowth(String what, ToLongFunction<ProcessSample> value, List<ProcessSample> first,
            List<ProcessSample> last, long tolerance, List<ProcessSample> all) {
        long before = median(first, value);
        long after = median(last, value);
        assertTrue(before >= 0, what + " was not measured: " + all);
        assertTrue(after <= before + tolerance, what + ": median of 40-60 s " + after + " should be at most the median"
                + " of 10-30 s " + before + " plus " + tolerance + "\nsamples: " + all);
    }

    private static void assertAtMost(String what, ToLongFunction<ProcessSample> value, List<ProcessSample> first,
            List<ProcessSample> last, long slack, List<ProcessSample> all) {
        long before = first.stream().mapToLong(value).max().orElseThrow();
        long after = last.stream().mapToLong(value).max().orElseThrow();
        assertTrue(after <= before + slack, what + ": at most " + after + " in 40-60 s, expected no more than "
                + before + " (10-30 s) plus " + slack + "\nsamples: " + all);
    }

    private static long median(List<ProcessSample> samples, ToLongFunction<ProcessSample> value) {
        long[] sorted = samples.stream().mapToLong(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
