package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.spi.SignalCheck;
import dev.helloworld.core.spi.SignalCheck.Status;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.PyroscopeReceiver.Upload;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code launcher check}'s profiling part against the in-test Pyroscope: one real profile, taken
 * and uploaded as run does, and a line that names the mistake when it does not get through.
 */
class ProfilingExportCheckTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static SignalCheck check(String endpoint, Duration timeout) throws Exception {
        List<SignalCheck> lines = new ProfilingExportCheck().check(TestHosts.config(TestHosts.flags(endpoint, Map.of())),
                timeout);
        assertEquals(1, lines.size(), "one line for profiles: " + lines);
        assertEquals("profiles", lines.get(0).signal());
        return lines.get(0);
    }

    private static void assertFailed(SignalCheck line, String cause, String fix) {
        assertTrue(line.status() == Status.FAILED && line.cause().contains(cause) && line.fix().contains(fix),
                "expected FAILED with cause containing '" + cause + "' and fix containing '" + fix + "', got " + line);
    }

    @Test
    void aProfileOfTheCheckReachesPyroscopeAsRunSendsIt() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            SignalCheck line = check(receiver.baseUri().toString(), TIMEOUT);

            assertEquals(Status.OK, line.status(), line.toString());
            assertEquals(receiver.baseUri() + "/ingest", line.target());
            List<Upload> uploads = receiver.uploads();
            assertEquals(1, uploads.size(), "one upload, no retry: " + uploads);
            Upload upload = uploads.get(0);
            assertEquals("helloworld-test{service_environment=test,service_version=1.2.3}", upload.query("name"));
            assertEquals("Bearer " + TestHosts.TOKEN, upload.header("Authorization"));
            assertTrue(upload.samples().stream().anyMatch(s -> s.frames().stream().anyMatch(f -> f.contains("BusyLoop"))),
                    "CPU samples of the check's own work in the profile");
        }
    }

    @Test
    void pyroscopeDownIsConnectionRefused() throws Exception {
        PyroscopeReceiver receiver = PyroscopeReceiver.start();
        URI endpoint = receiver.baseUri();
        receiver.close();

        assertFailed(check(endpoint.toString(), TIMEOUT), "connection refused at 127.0.0.1:" + endpoint.getPort(),
                "is Pyroscope running");
    }

    @Test
    void anEndpointWithoutItsPathPrefixSaysToAddIt() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            receiver.servedUnder("/pyroscope");

            SignalCheck without = check(receiver.baseUri().toString(), TIMEOUT);
            SignalCheck with = check(receiver.baseUri() + "/pyroscope", TIMEOUT);

            assertFailed(without, "HTTP 404 at /ingest: no Pyroscope ingest here", "path prefix");
            assertEquals(Status.OK, with.status(), with.toString());
        }
    }

    @Test
    void aRefusedTokenSaysSo() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            receiver.respondWith(401);
            assertFailed(check(receiver.baseUri().toString(), TIMEOUT), "HTTP 401: the profiling endpoint refused the token",
                    "--token");
            receiver.respondWith(403);
            assertFailed(check(receiver.baseUri().toString(), TIMEOUT), "HTTP 403", "--token");
            assertEquals(2, receiver.uploads().size(), "one upload each, no retry");
        }
    }

    @Test
    void aPyroscopeSlowerThanTheTimeoutFailsWithinIt() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            receiver.answerAfter(Duration.ofSeconds(8));
            Duration timeout = Duration.ofSeconds(3);

            long started = System.nanoTime();
            SignalCheck line = check(receiver.baseUri().toString(), timeout);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertFailed(line, "no answer from 127.0.0.1:" + receiver.baseUri().getPort() + " within the check's 3s", "--timeout");
            assertTrue(took.compareTo(timeout.plusMillis(500)) < 0, "returned after " + took.toMillis() + " ms, timeout 3 s");
        }
    }

    @Test
    void profilingOffIsSkipped() throws Exception {
        List<SignalCheck> lines = new ProfilingExportCheck().check(TestHosts.config(
                TestHosts.flags("http://127.0.0.1:1", Map.of("enable.profiling", "false"))), TIMEOUT);

        assertEquals(List.of(SignalCheck.skipped("profiles", "profiling off (--enable-profiling checks it)")), lines);
    }

    @Test
    void aServiceNamePyroscopeRefusesIsNotSentAndNamesWhereItWasSet() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            List<SignalCheck> lines = new ProfilingExportCheck().check(TestHosts.config(TestHosts.flags(
                    receiver.baseUri().toString(), Map.of("service.name", "shop a"))), TIMEOUT);

            assertEquals(1, lines.size(), lines.toString());
            assertFailed(lines.get(0), "not sent: the service name 'shop a' (--service-name) is no Pyroscope application name",
                    "use a name of letters, digits, '.', '_', '-' and '/'");
            assertEquals(List.of(), receiver.uploads(), "nothing uploaded");
        }
    }
}
