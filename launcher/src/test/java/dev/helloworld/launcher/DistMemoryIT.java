package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The plain distribution's memory defaults (issue 23: without a heap limit, 50 connections
 * pipelining requests without reading took the service from 160 to 456 MiB in 2 s): the heap is
 * bounded unless JAVA_OPTS says otherwise, and under that load the RSS stays bounded.
 */
class DistMemoryIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int CONNECTIONS = 50;
    /** Measured: 83 MiB before, at most 104 MiB during (issue 23: 160 to 456 MiB without a heap limit). */
    private static final long MAX_RSS_MIB = 250;

    @Test
    void theHeapIsBoundedByDefaultAndJavaOptsTakesOver() throws Exception {
        assertEquals("64.00M", maxHeap(""), "the default heap limit");
        assertEquals("100.00M", maxHeap("-Xmx100m"), "JAVA_OPTS with -Xmx wins");
        // A collector in JAVA_OPTS replaces the default one (the JVM would refuse two) and keeps the limit.
        assertEquals("64.00M", maxHeap("-XX:+UseParallelGC"), "another collector, the default limit");
    }

    @Test
    void pipeliningWithoutReadingKeepsTheResidentMemoryBounded() throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--exporter", "none", "--http-address", "127.0.0.1", "--http-port", "0",
                "--work-scale", "0", "--error-rate", "0", "--query-interval", "1h")) {
            URI base = launcher.awaitHttpBase(PATIENCE);
            launcher.awaitStdout("[querier] service started", PATIENCE);
            String commandLine = Files.readString(Path.of("/proc", String.valueOf(launcher.pid()), "cmdline")).replace('\0', ' ');
            assertTrue(commandLine.contains(" -Xmx64m "), "the dist's memory defaults on the JVM's command line: " + commandLine);
            ProcessSample before = ProcessSample.of(launcher.pid(), Path.of("no-gc-log"));

            byte[] requests = "GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            List<Socket> sockets = new ArrayList<>();
            ExecutorService writers = Executors.newFixedThreadPool(CONNECTIONS);
            List<ProcessSample> samples;
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Socket socket = RawHttp.connect(base);
                    sockets.add(socket);
                    writers.execute(() -> pipeline(socket, requests, stop, sent));
                }
                samples = ProcessSample.every(Duration.ofMillis(250), 24, launcher.pid(), Path.of("no-gc-log"));
            } finally {
                stop.set(true);
                for (Socket socket : sockets) {
                    socket.close();
                }
                writers.shutdownNow();
                writers.awaitTermination(10, TimeUnit.SECONDS);
            }
            long maxRssMib = samples.stream().mapToLong(ProcessSample::rssKib).max().orElseThrow() / 1024;
            System.out.printf("[DistMemoryIT] %d connections pipelined %d KiB of requests without reading for 6 s: RSS %d MiB"
                    + " before, at most %d MiB during%n", CONNECTIONS, sent.get() / 1024, before.rssKib() / 1024, maxRssMib);
            assertTrue(maxRssMib <= MAX_RSS_MIB, "RSS under pipelining: at most " + MAX_RSS_MIB + " MiB expected, got "
                    + maxRssMib + " (" + before.rssKib() / 1024 + " MiB before)");

            RawHttp.Answer after = RawHttp.exchange(base, "GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                    PATIENCE);
            assertEquals(200, after.status(), "a well-behaved client afterwards: " + after.text());
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
        }
    }

    /** Writes pipelined requests until told to stop or the server stops taking them; never reads. */
    private static void pipeline(Socket socket, byte[] requests, AtomicBoolean stop, AtomicLong sent) {
        try {
            OutputStream out = socket.getOutputStream();
            while (!stop.get()) {
                out.write(requests);
                sent.addAndGet(requests.length);
            }
        } catch (IOException closed) {
            // The server closed it, or the test did.
        }
    }

    /** The JVM's maximum heap as {@code -XshowSettings:vm} reports it, with {@code javaOpts} added. */
    private static String maxHeap(String javaOpts) throws Exception {
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(),
                Map.of("JAVA_OPTS", ("-XshowSettings:vm " + javaOpts).trim()), "--version")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            return launcher.output().lines().filter(l -> l.contains("Max. Heap Size")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElseThrow(() -> new AssertionError("no heap size in\n" + launcher.output()));
        }
    }
}
