package dev.helloworld.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The service's readiness probe, {@code GET /readyz}, as Kubernetes asks it: 200 once every
 * enabled plugin has started (the profiler included), 503 before.
 */
final class Readiness {

    private static final Duration POLL = Duration.ofMillis(20);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpRequest probe;

    Readiness(URI base) {
        this.probe = HttpRequest.newBuilder(base.resolve("/readyz")).timeout(Duration.ofSeconds(5)).build();
    }

    /** The probe's status code now. */
    int status() throws IOException, InterruptedException {
        return client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Asks until the answer is 200; fails with the last answer when none is within {@code timeout}. */
    void await(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        while ((last = status()) != 200) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("/readyz still " + last + " after " + timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
