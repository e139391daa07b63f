package dev.helloworld.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PyroscopeReceiverTest {

    private static final String BOUNDARY = "b0undary";
    private static volatile long sink;

    @Test
    void recordsAnIngestUploadWithQueryHeadersAndGunzippedParts(@TempDir Path dir) throws Exception {
        byte[] jfr = recordSpinning(dir);
        // strings = 2: {7: "GET /helloworld"}, written by hand as the agent's protobuf would be
        byte[] name = "GET /helloworld".getBytes(StandardCharsets.UTF_8);
        byte[] entry = concat(new byte[] {0x08, 0x07, 0x12, (byte) name.length}, name);
        byte[] labels = concat(new byte[] {0x12, (byte) entry.length}, entry);

        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            int status = post(receiver.baseUri().resolve("/pyroscope/ingest?name=app%7Benv%3Dtest%7D&from=10&until=20&format=jfr"),
                    multipart(Map.of("jfr", gzip(jfr), "labels", gzip(labels))));
            assertEquals(200, status, "status of an accepted upload");

            PyroscopeReceiver.Upload upload = receiver.awaitUpload(u -> true, Duration.ofSeconds(5));
            assertEquals("/pyroscope/ingest", upload.path());
            assertEquals("app{env=test}", upload.query("name"));
            assertEquals("jfr", upload.query("format"));
            assertEquals("t0ken", upload.header("X-BK-TOKEN"));
            assertTrue(upload.part("jfr").orElseThrow().gzipped(), "the jfr part was sent gzipped");
            assertEquals(jfr.length, upload.jfr().length, "gunzipped jfr size");
            assertTrue(upload.samples().stream().anyMatch(s -> s.eventType().equals("jdk.ExecutionSample")
                            && s.frames().stream().anyMatch(f -> f.endsWith("PyroscopeReceiverTest.spin"))),
                    "expected a CPU sample in spin(), got event types "
                            + upload.samples().stream().map(PyroscopeReceiver.Sample::eventType).distinct().toList());
            assertEquals(Map.of(7L, "GET /helloworld"), upload.labelStrings());
        }
    }

    @Test
    void answersOtherPathsWith404AndRecordsNothing() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            assertEquals(404, post(receiver.baseUri().resolve("/render"), multipart(Map.of())));
            assertTrue(receiver.uploads().isEmpty(), "uploads: " + receiver.uploads());
        }
    }

    @Test
    void awaitFailsWithWhatArrived() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start()) {
            receiver.respondWith(503);
            assertEquals(503, post(receiver.baseUri().resolve("/ingest?name=x"), multipart(Map.of())));
            AssertionError error = assertThrows(AssertionError.class,
                    () -> receiver.awaitUploads(all -> all.size() == 2, Duration.ofMillis(50)));
            assertTrue(error.getMessage().contains("received 1 uploads: [POST /ingest name=x"), error.getMessage());
        }
    }

    private static byte[] recordSpinning(Path dir) throws IOException {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Path file = dir.resolve("spin.jfr");
            // Spin until the recording holds a sample of spin(): a fixed time would be flaky on a busy machine.
            while (System.nanoTime() < end) {
                spin();
                recording.dump(file);
                if (containsSpinSample(file)) {
                    return Files.readAllBytes(file);
                }
            }
            throw new AssertionError("JFR took no CPU sample of spin() within 30 s");
        }
    }

    private static boolean containsSpinSample(Path file) throws IOException {
        return jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .anyMatch(e -> e.getStackTrace().getFrames().stream()
                        .anyMatch(f -> f.getMethod().getName().equals("spin")));
    }

    private static void spin() {
        long end = System.nanoTime() + Duration.ofMillis(200).toNanos();
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        sink = x;
    }

    private static int post(URI uri, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .header("X-BK-TOKEN", "t0ken")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] multipart(Map<String, byte[]> parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : List.copyOf(parts.keySet())) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name
                    + "\"; filename=\"" + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(parts.get(name));
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        byte[] zipped = out.toByteArray();
        assertFalse(zipped.length == 0);
        return zipped;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
