package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image as users build and run it, in a real engine (issue 28). The engine is
 * readied by deploy/container/local-engine (Debian's docker.io installed where missing, dockerd
 * started where none answers, the Dockerfile's two base images built locally with debootstrap
 * where no registry is reachable; its tags are the cache), the image is built from
 * deploy/container/Dockerfile, then run as a hardened deployment runs it: --read-only with Docker's
 * default --tmpfs /tmp (noexec), --cap-drop ALL, no-new-privileges, the image's non-root user,
 * --memory 128m, every signal on (DEBUG=true) to the in-test receivers over --network host, and the
 * querier's steady 200 calls a second for a few minutes (-Dhelloworld.engineSeconds, default 180).
 *
 * <p>It starts and answers /readyz and /helloworld; exports traces, metrics and logs whose every
 * resource carries the container's id, and profiles, with the profiler's library mapped from the
 * image's lib/; is never OOM-killed (docker inspect, and the memory group's oom_kill); loses no
 * span or log record; and stops with exit 0 within `docker stop`'s default 10 s.
 *
 * <p>Needs root on a Debian machine with cgroup v1, as CI's: it runs only with
 * -Dhelloworld.engine=true, which .ci/run sets for one of its two builds (it takes about 7 minutes,
 * most of it the image build and the load).
 */
class ContainerEngineIT {

    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("helloworld.engineSeconds", 180));
    private static final Duration START = Duration.ofSeconds(60);
    /** `docker stop`'s default: SIGKILL 10 s after SIGTERM. */
    private static final Duration DOCKER_STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Path DEPLOY = Path.of(System.getProperty("helloworld.deploy", "../deploy"));
    private static final String TAG = "helloworld:engine-it";
    private static final Pattern QUERIER_TOTAL = Pattern.compile("\\[querier] in total (\\d+) calls in .*: 200=(\\d+) 500=(\\d+)");
    private static final Pattern OTLP_TOTAL = Pattern.compile("\\[otlp] traces: (\\d+) spans recorded, (\\d+) exported, (\\d+) discarded"
            + ".*logs: (\\d+) log records recorded, (\\d+) exported, (\\d+) discarded");

    @TempDir
    Path dir;

    @Test
    void theImageRunsReadOnlyNonRootIn128MiBWithEverySignalExportsThemAllWithItsContainerIdAndStopsInTime()
            throws Exception {
        assumeTrue(Boolean.getBoolean("helloworld.engine"), "the engine test runs with -Dhelloworld.engine=true (as .ci/run does once)");
        Docker docker = new Docker(dir);
        Path root = DEPLOY.toAbsolutePath().normalize().getParent();
        Docker.Result engine = docker.exec(List.of(DEPLOY.resolve("container/local-engine").toAbsolutePath().toString()),
                Duration.ofMinutes(10));
        assertEquals(0, engine.exitCode(), "deploy/container/local-engine\n" + Docker.tail(engine.output()));
        List<String> build = new ArrayList<>(List.of(Docker.CLIENT.toString(), "build", "--network", "host"));
        build.addAll(List.of(engine.lastLine().split(" ")));
        build.addAll(List.of("-f", DEPLOY.resolve("container/Dockerfile").toAbsolutePath().toString(), "-t", TAG, root.toString()));
        Docker.Result built = docker.exec(build, Duration.ofMinutes(15));
        assertEquals(0, built.exitCode(), "docker build\n" + Docker.tail(built.output()));
        System.out.printf("engine: image built in %.1f s, %s bytes%n", built.took().toMillis() / 1000.0,
                docker.run(Duration.ofSeconds(30), "image", "inspect", "-f", "{{.Size}}", TAG));

        int port = freePort();
        String name = "helloworld-engine-it-" + ProcessHandle.current().pid();
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            long runAt = System.nanoTime();
            String id = docker.run(Duration.ofSeconds(60), "run", "-d", "--name", name,
                    "--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                    "--memory", "128m", "--network", "host", "-e", "DEBUG=true", "-e", "OTEL_METRIC_EXPORT_INTERVAL=5000",
                    TAG, "--exporter", "http", "--endpoint", otlp.httpEndpoint().toString(),
                    "--profiling-endpoint", pyroscope.baseUri().toString(),
                    "--http-address", "127.0.0.1", "--http-port", String.valueOf(port),
                    "--query-rate", "200", "--query-concurrency", "8", "--work-scale", "0");
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(docker, id, base);
                System.out.printf("engine: docker run to /readyz 200 in %.2f s%n", (System.nanoTime() - runAt) / 1e9);
                assertNonRootWithNothingPrivileged(docker, id);
                assertEquals(true, List.of(200, 500).contains(new HelloClient(base).get().status()), "/helloworld answered by its handler");

                Path group = Path.of("/sys/fs/cgroup/memory/docker", id);
                assertTrue(Files.isDirectory(group), "the container's memory group (cgroup v1) at " + group);
                long peak = underLoad(docker, id, group);
                System.out.printf("engine: peak rss + mapped_file %.1f MiB over %s%n", peak / 1048576.0, LOAD);
                assertTrue(Files.readString(group.resolve("memory.oom_control")).contains("oom_kill 0"),
                        "no process of the container OOM-killed: " + Files.readString(group.resolve("memory.oom_control")));
                assertLibraryMappedFromTheImage(docker, id);

                long stopAt = System.nanoTime();
                docker.run(Duration.ofSeconds(60), "stop", id);
                Duration stopped = Duration.ofNanos(System.nanoTime() - stopAt);
                System.out.printf("engine: docker stop took %.2f s%n", stopped.toMillis() / 1000.0);
                String logs = docker.run(Duration.ofSeconds(30), "logs", id);
                assertEquals("0 false", docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{.State.ExitCode}} {{.State.OOMKilled}}", id),
                        "exit code and OOMKilled after docker stop\n" + Docker.tail(logs));
                assertTrue(stopped.compareTo(DOCKER_STOP_TIMEOUT) < 0, "stopped within docker stop's 10 s, took " + stopped);

                assertEverySignalArrived(id, otlp, pyroscope, logs);
            } finally {
                docker.exec(List.of(Docker.CLIENT.toString(), "rm", "-f", name), Duration.ofSeconds(60));
            }
        }
    }

    private static void awaitReady(Docker docker, String id, URI base) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest readyz = HttpRequest.newBuilder(base.resolve("/readyz")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                if (client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline || !running(docker, id)) {
                throw new AssertionError("no /readyz 200 within " + START + "\n" + Docker.tail(docker.run(Duration.ofSeconds(30), "logs", id)));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The image's user (10001), no capability in any set, no new privileges. */
    private static void assertNonRootWithNothingPrivileged(Docker docker, String id) throws Exception {
        String pid = docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{.State.Pid}}", id);
        List<String> status = Files.readAllLines(Path.of("/proc", pid, "status"));
        assertTrue(status.stream().anyMatch(l -> l.matches("Uid:\\s+10001\\s+10001\\s+10001\\s+10001")), "runs as 10001: " + status);
        for (String set : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertTrue(status.contains(set + ":\t0000000000000000"), set + " empty: " + status);
        }
        assertTrue(status.contains("NoNewPrivs:\t1"), "no new privileges: " + status);
    }

    /** The load's minutes: the container alive all along; the peak of rss + mapped_file, sampled each second. */
    private static long underLoad(Docker docker, String id, Path group) throws Exception {
        long peak = 0;
        long deadline = System.nanoTime() + LOAD.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(running(docker, id), "the container ended under load (OOM-killed?): "
                    + docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{json .State}}", id));
            long rss = 0;
            long mapped = 0;
            for (String line : Files.readAllLines(group.resolve("memory.stat"))) {
                String[] kv = line.split(" ");
                rss = kv[0].equals("rss") ? Long.parseLong(kv[1]) : rss;
                mapped = kv[0].equals("mapped_file") ? Long.parseLong(kv[1]) : mapped;
            }
            peak = Math.max(peak, rss + mapped);
            // Sampling pace, not synchronisation: memory.stat is a snapshot.
            TimeUnit.SECONDS.sleep(1);
        }
        return peak;
    }

    /** Profiling under a noexec /tmp: async-profiler mapped from the image's lib/, where the image ships it. */
    private static void assertLibraryMappedFromTheImage(Docker docker, String id) throws Exception {
        String pid = docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{.State.Pid}}", id);
        List<String> mapped = Files.readAllLines(Path.of("/proc", pid, "maps")).stream()
                .filter(l -> l.contains("libasyncProfiler")).toList();
        assertTrue(!mapped.isEmpty() && mapped.stream().allMatch(l -> l.endsWith("/opt/helloworld/lib/libasyncProfiler-linux-x64.so")),
                "async-profiler mapped from the image's lib/: " + mapped);
    }

    private static void assertEverySignalArrived(String id, OtlpReceiver otlp, PyroscopeReceiver pyroscope, String logs) {
        ContainerIdIT.assertEveryResourceHas(id, "traces", otlp.traceRequests().stream()
                .flatMap(r -> r.getResourceSpansList().stream().map(rs -> rs.getResource())).toList());
        ContainerIdIT.assertEveryResourceHas(id, "metrics", otlp.metricsRequests().stream()
                .flatMap(r -> r.getResourceMetricsList().stream().map(rm -> rm.getResource())).toList());
        ContainerIdIT.assertEveryResourceHas(id, "logs", otlp.logsRequests().stream()
                .flatMap(r -> r.getResourceLogsList().stream().map(rl -> rl.getResource())).toList());
        assertFalse(pyroscope.uploads().isEmpty(), "profiles uploaded\n" + Docker.tail(logs));
        assertFalse(logs.contains("running without profiling"), "profiling ran\n" + Docker.tail(logs));

        Matcher otlpTotal = OTLP_TOTAL.matcher(logs);
        assertTrue(otlpTotal.find(), "the otlp plugin's summary at stop\n" + Docker.tail(logs));
        assertEquals("0 0", otlpTotal.group(3) + " " + otlpTotal.group(6), "no span or log record discarded: " + otlpTotal.group());
        assertEquals(Long.parseLong(otlpTotal.group(2)), otlp.spans().size(), "every exported span arrived: " + otlpTotal.group());
        assertEquals(Long.parseLong(otlpTotal.group(5)), otlp.logRecords().size(), "every exported log record arrived: " + otlpTotal.group());

        Matcher querier = QUERIER_TOTAL.matcher(logs);
        assertTrue(querier.find(), "the querier's summary at stop\n" + Docker.tail(logs));
        long calls = Long.parseLong(querier.group(1));
        long answered = Long.parseLong(querier.group(2)) + Long.parseLong(querier.group(3));
        assertTrue(calls >= LOAD.toSeconds() * 200 / 2, "at least half the 200 calls a second were made: " + querier.group());
        assertEquals(calls, answered, "every call answered by the handler (200, or 500 from its error demo): " + querier.group());
        System.out.println("engine: " + querier.group() + "; " + otlpTotal.group());
    }

    private static boolean running(Docker docker, String id) throws Exception {
        return docker.run(Duration.ofSeconds(30), "inspect", "-f", "{{.State.Running}}", id).equals("true");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
