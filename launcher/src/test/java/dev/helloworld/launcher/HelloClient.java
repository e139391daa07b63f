package dev.helloworld.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A well-behaved client of {@code GET /helloworld} that starts each request's trace itself (a W3C
 * {@code traceparent} with a fresh trace id), so that a test knows which trace each answer
 * belongs to and can look for its server spans at the collector.
 */
final class HelloClient {

    /** One answered request. */
    record Answer(String traceId, int status, Duration took) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI helloWorld;

    HelloClient(URI base) {
        this.helloWorld = base.resolve("/helloworld");
    }

    Answer get() throws IOException, InterruptedException {
        String traceId = randomHex(16);
        HttpRequest request = HttpRequest.newBuilder(helloWorld).timeout(Duration.ofSeconds(10))
                .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01").build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(traceId, response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static String randomHex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 1; // never all zeros, which W3C calls invalid
        return HexFormat.of().formatHex(id);
    }
}
