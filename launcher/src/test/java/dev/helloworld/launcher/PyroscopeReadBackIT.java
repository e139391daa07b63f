package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.json.Json;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeQueryFake;
import dev.helloworld.testkit.PyroscopeReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code launcher verify --pyroscope}: the run's profiles read back through Pyroscope's Connect
 * query API (the testkit's {@link PyroscopeQueryFake}, answering from what a
 * {@link PyroscopeReceiver} got from the run's real profiler), with the span-to-profile link.
 */
class PyroscopeReadBackIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private LauncherProcess verify(OtlpReceiver collector, PyroscopeReceiver profiles, PyroscopeQueryFake pyroscope,
            String deadline) throws Exception {
        return LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "verify", "--duration", "4s", "--manifest", work.resolve("manifest.json").toString(),
                "--pyroscope", pyroscope.baseUri().toString(), "--deadline", deadline,
                "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(), "--enable-traces",
                "--enable-profiling", "--profiling-endpoint", profiles.baseUri().toString(),
                // One profile, uploaded at stop, as SpanProfilesIT does: no request falls in a cut.
                "--profiling-upload-interval", "10m", "--service-name", "verify-pyroscope", "--http-port", "0",
                // Work of 0.1 to 0.6 s a request, so that most get a CPU sample on a loaded machine.
                "--query-rate", "2", "--work-scale", "3");
    }

    private static String line(LauncherProcess launcher, String signal) {
        return launcher.stdout().stream().filter(l -> l.startsWith(signal + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + signal + " line:\n" + launcher.output()));
    }

    /** The span ids of the local roots the collector got: the spans that carry pyroscope.profile.id. */
    private static Set<String> localRoots(OtlpReceiver collector) {
        return collector.spans().stream()
                .filter(s -> OtlpReceiver.attribute(s.getAttributesList(), "pyroscope.profile.id").isPresent())
                .map(s -> OtlpReceiver.hex(s.getSpanId())).collect(Collectors.toSet());
    }

    @Test
    void profilesAndEverySampledSpansProfileFoundExitsZero() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver profiles = PyroscopeReceiver.start();
                PyroscopeQueryFake pyroscope = PyroscopeQueryFake.start(profiles, PyroscopeQueryFake.Faults.none());
                LauncherProcess launcher = verify(collector, profiles, pyroscope, "8s")) {
            assertEquals(0, launcher.awaitExit(PATIENCE), launcher.output());
            Set<String> roots = localRoots(collector);
            // What Pyroscope can answer for: the local roots some CPU sample was labelled with.
            Set<String> sampled = profiles.uploads().stream().flatMap(u -> u.samples().stream())
                    .filter(s -> s.eventType().equals("jdk.ExecutionSample") && s.spanId() != 0)
                    .map(PyroscopeReceiver.Sample::spanIdHex).filter(roots::contains).collect(Collectors.toSet());
            System.out.println("PyroscopeReadBackIT sampled " + sampled.size() + " of " + roots.size() + " local roots\n"
                    + line(launcher, "profiles") + "\n" + line(launcher, "span-profiles"));
            assertTrue(line(launcher, "profiles").matches("profiles\\s+OK\\s+.*CPU profile "
                    + "\\(process_cpu:cpu:nanoseconds:cpu:nanoseconds\\) under service 'verify-pyroscope' within the run's "
                    + "window, .*"), launcher.output());
            assertTrue(line(launcher, "span-profiles").matches("span-profiles\\s+OK\\s+.*\\s" + sampled.size() + "/"
                    + roots.size() + " span ids with pyroscope\\.profile\\.id have a span profile.*"),
                    "sampled " + sampled.size() + " of " + roots.size() + "\n" + launcher.output());
            assertManifestIsWhatWasUploaded(profiles, roots);
            // The querier's client spans are local roots too, but their thread waits: rarely sampled.
            assertTrue(!sampled.isEmpty(), "some request sampled: " + sampled.size() + " of " + roots.size());
        }
    }

    /** The manifest's profiles against what the receivers decoded: application, window, linked span ids. */
    @SuppressWarnings("unchecked")
    private void assertManifestIsWhatWasUploaded(PyroscopeReceiver profiles, Set<String> roots) throws Exception {
        Map<String, Object> manifest = (Map<String, Object>) Json.parse(Files.readString(work.resolve("manifest.json")));
        Map<String, Object> sent = (Map<String, Object>) manifest.get("profiles");
        List<PyroscopeReceiver.Upload> uploads = profiles.uploads();
        assertFalse(uploads.isEmpty(), "the run uploaded a profile");
        assertEquals(Set.of((String) sent.get("application")), uploads.stream()
                .map(u -> u.query("name").substring(0, u.query("name").indexOf('{'))).collect(Collectors.toSet()),
                "the application name of every upload");
        assertEquals("verify-pyroscope", sent.get("application"));
        long from = Instant.parse((String) sent.get("from")).getEpochSecond();
        long until = Instant.parse((String) sent.get("until")).getEpochSecond();
        assertTrue(uploads.stream().allMatch(u -> Long.parseLong(u.query("from")) >= from
                && Long.parseLong(u.query("until")) <= until + 1), "every upload inside the run's window " + from + ".."
                + until + ": " + uploads.stream().map(u -> u.query("from") + ".." + u.query("until")).toList());
        assertEquals(roots, Set.copyOf((List<String>) sent.get("linked_span_ids")),
                "the linked span ids: every exported span with pyroscope.profile.id");
        assertEquals(List.of("process_cpu:cpu:nanoseconds:cpu:nanoseconds"), sent.get("types"));
    }

    @Test
    void profilesUnderAnotherServiceAreNamedAsTheMismatch() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver profiles = PyroscopeReceiver.start();
                PyroscopeQueryFake pyroscope = PyroscopeQueryFake.start(profiles, new PyroscopeQueryFake.Faults("helloworld", false));
                LauncherProcess launcher = verify(collector, profiles, pyroscope, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "profiles").matches("profiles\\s+FAILED\\s+.*stored under service \\[helloworld\\], "
                    + "the run's service is 'verify-pyroscope': find what renames the application.*"), launcher.output());
        }
    }

    @Test
    void profilesWithoutSpanIdsFailTheLinkAndSayWhatToDo() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver profiles = PyroscopeReceiver.start();
                PyroscopeQueryFake pyroscope = PyroscopeQueryFake.start(profiles, new PyroscopeQueryFake.Faults("", true));
                LauncherProcess launcher = verify(collector, profiles, pyroscope, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "profiles").matches("profiles\\s+OK\\s+.*"), launcher.output());
            int roots = localRoots(collector).size();
            assertTrue(roots > 0, "the run exported local roots\n" + launcher.output());
            assertTrue(line(launcher, "span-profiles").matches("span-profiles\\s+FAILED\\s+.*0 of " + roots + " span ids with "
                    + "pyroscope\\.profile\\.id have a span profile after \\d+\\.\\d s: the span-to-profile link is lost: "
                    + "the samples must reach Pyroscope with their span_id label.*"), launcher.output());
        }
    }

    @Test
    void aPyroscopeThatNeverShowsTheProfilesFailsWithTheTimeWaited() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start(); PyroscopeReceiver profiles = PyroscopeReceiver.start();
                PyroscopeReceiver elsewhere = PyroscopeReceiver.start();
                PyroscopeQueryFake pyroscope = PyroscopeQueryFake.start(elsewhere, PyroscopeQueryFake.Faults.none());
                LauncherProcess launcher = verify(collector, profiles, pyroscope, "3s")) {
            assertEquals(1, launcher.awaitExit(PATIENCE), launcher.output());
            assertTrue(line(launcher, "profiles").matches("profiles\\s+FAILED\\s+\\d+ ms\\s+\\S+\\s+no profile of service "
                    + "'verify-pyroscope' from \\S+ to \\S+ appeared within 3\\.\\d s: send profiles to this Pyroscope.*"),
                    launcher.output());
        }
    }
}
