package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.PyroscopeReceiver.Sample;
import dev.helloworld.testkit.PyroscopeReceiver.Upload;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilingServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void uploadsJfrProfilesWithCpuSamplesOfTheBusyLoopToIngest() throws Exception {
        TestHosts.Console console = new TestHosts.Console();
        long startedAt = Instant.now().getEpochSecond();
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(), Map.of()))) {
            host.start();
            Upload upload;
            try (BusyWork work = BusyWork.start()) {
                upload = receiver.awaitUpload(u -> u.samples().stream().anyMatch(ProfilingServiceTest::cpuInBusyLoop), WAIT);
            }
            long receivedAt = Instant.now().getEpochSecond();

            assertEquals("/ingest", upload.path());
            assertEquals("helloworld-test{service_environment=test,service_version=1.2.3}", upload.query("name"));
            assertEquals("jfr", upload.query("format"));
            assertEquals("javaspy", upload.query("spyName"));
            long from = Long.parseLong(upload.query("from"));
            long until = Long.parseLong(upload.query("until"));
            assertTrue(startedAt <= from && from <= until && until <= receivedAt,
                    "expected " + startedAt + " <= from " + from + " <= until " + until + " <= " + receivedAt);
            assertEquals(TestHosts.TOKEN, upload.header("X-BK-TOKEN"));
            assertEquals("Bearer " + TestHosts.TOKEN, upload.header("Authorization"));
            PyroscopeReceiver.Part jfr = upload.part("jfr").orElseThrow();
            assertTrue(jfr.gzipped() && jfr.body().length > 0, "a non-empty gzipped jfr part, got " + jfr.body().length
                    + " bytes, gzipped: " + jfr.gzipped());
        }
        assertFalse(console.text().contains(TestHosts.TOKEN), "the token leaked into the log:\n" + console.text());
        assertEquals(1, console.lines("[profiling] profiling cpu (itimer), allocations and locks to http://127.0.0.1:").size(),
                "the start line, in:\n" + console.text());
    }

    @Test
    void keepsThePathPrefixOfTheEndpoint() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            for (String prefix : List.of("/pyroscope", "/pyroscope/")) {
                try (ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri() + prefix, Map.of()))) {
                    host.start();
                }
            }
            List<String> paths = receiver.uploads().stream().map(Upload::path).toList();
            assertEquals(List.of("/pyroscope/ingest", "/pyroscope/ingest"), paths, "paths of the uploads made on stop");
        }
    }

    @Test
    void stopUploadsTheLastProfileBeforeReturning() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(),
                        Map.of(ProfilingKeys.UPLOAD_INTERVAL.name(), "1h")))) {
            host.start();
            BusyWork.doSomething(Duration.ofMillis(1500));
            assertEquals(List.of(), receiver.uploads(), "no upload before the first hour is over");

            host.stop();

            List<Upload> uploads = receiver.uploads();
            assertEquals(1, uploads.size(), "uploads when stop returned: " + uploads);
            assertTrue(uploads.get(0).samples().stream().anyMatch(ProfilingServiceTest::cpuInBusyLoop),
                    "the last profile holds the busy loop of the last moments; sampled: " + describe(uploads.get(0)));
            assertNoThreadsLeft();
        }
    }

    @Test
    void anUnreachableEndpointIsOneWarningAndTheServiceKeepsRunning() throws Exception {
        TestHosts.Console console = new TestHosts.Console();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ServiceHost host = TestHosts.host(TestHosts.flags("http://127.0.0.1:" + closedPort, Map.of()));
        host.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (console.lines("WARNING: [profiling]").isEmpty() && System.nanoTime() < deadline) {
            BusyWork.doSomething(Duration.ofMillis(50));
        }
        List<String> warnings = console.lines("WARNING: [profiling]");
        assertEquals(1, warnings.size(), "one warning while the endpoint is down, in:\n" + console.text());
        assertTrue(warnings.get(0).contains("Error uploading snapshot"), warnings.get(0));
        assertEquals(HostState.RUNNING, host.state());

        long stopping = System.nanoTime();
        host.stop();
        Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
        assertTrue(stopTook.compareTo(ProfilingService.LAST_UPLOAD_TIMEOUT.plusSeconds(2)) < 0,
                "stop gives up on the last upload after " + ProfilingService.LAST_UPLOAD_TIMEOUT + ", took " + stopTook);
        assertEquals(1, console.lines("WARNING: [profiling]").size(), "still one warning, in:\n" + console.text());
        assertEquals(1, console.lines("[profiling] service stopped").size(), console.text());
    }

    @Test
    void profilesAllocationsWhenMemoryProfilingIsOnAndNotWhenOff() throws Exception {
        for (boolean memory : List.of(true, false)) {
            try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                    ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(), Map.of(
                            ProfilingKeys.UPLOAD_INTERVAL.name(), "1h",
                            "enable.memory.profiling", String.valueOf(memory))))) {
                host.start();
                allocateSomething(32L * 1024 * 1024); // 64 times the sampling threshold of 512k
                host.stop();

                List<Sample> allocations = receiver.uploads().stream().flatMap(u -> u.samples().stream())
                        .filter(s -> s.eventType().startsWith("jdk.ObjectAllocation"))
                        .toList();
                if (memory) {
                    assertTrue(allocations.stream().anyMatch(s -> s.frames().stream().anyMatch(f -> f.endsWith(".allocateSomething"))),
                            "allocation samples in allocateSomething(); got " + allocations.size() + " allocation samples in "
                                    + receiver.uploads());
                } else {
                    assertEquals(List.of(), allocations, "allocation samples with memory profiling off");
                }
            }
        }
    }

    @Test
    void profilesLockContention() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                ServiceHost host = TestHosts.host(TestHosts.flags(receiver.baseUri().toString(),
                        Map.of(ProfilingKeys.UPLOAD_INTERVAL.name(), "1h")))) {
            host.start();
            Object monitor = new Object();
            Thread holder = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    holdLock(monitor);
                }
            });
            holder.start();
            for (int i = 0; i < 10; i++) {
                holdLock(monitor);
            }
            holder.join();
            host.stop();

            List<Sample> waits = receiver.uploads().stream().flatMap(u -> u.samples().stream())
                    .filter(s -> s.eventType().equals("jdk.JavaMonitorEnter"))
                    .toList();
            assertTrue(waits.stream().anyMatch(s -> s.frames().stream().anyMatch(f -> f.endsWith(".holdLock"))),
                    "monitor contention in holdLock(); got event types " + receiver.uploads().stream()
                            .flatMap(u -> u.samples().stream()).map(Sample::eventType).distinct().toList());
        }
    }

    private static volatile Object allocated;

    private static void allocateSomething(long bytes) {
        for (long done = 0; done < bytes; done += 64 * 1024) {
            allocated = new byte[64 * 1024];
        }
    }

    /** Holds {@code monitor} for longer than the lock threshold, so that the other thread's wait is recorded. */
    private static void holdLock(Object monitor) {
        synchronized (monitor) {
            BusyWork.doSomething(Duration.ofMillis(30));
        }
    }

    /** The scheduler's and the uploader's threads end soon after stop (they are daemons, but still). */
    private static void assertNoThreadsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("profiling-")).toList();
            if (!left.isEmpty()) {
                Thread.sleep(10); // polling a thread's end, not waiting for an event
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), left, "threads still alive 5 s after stop");
    }

    private static boolean cpuInBusyLoop(Sample sample) {
        return sample.eventType().equals("jdk.ExecutionSample") && BusyWork.inDoSomething(sample.frames());
    }

    private static String describe(Upload upload) {
        return upload.samples().stream().map(s -> s.eventType() + s.frames().stream().limit(2).toList()).distinct()
                .limit(10).toList().toString();
    }
}
