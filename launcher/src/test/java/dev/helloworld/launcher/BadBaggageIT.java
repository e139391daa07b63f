package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Any client can send a malformed baggage header; it must not be able to write a log line per request. */
class BadBaggageIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int REQUESTS = 1000;

    @Test
    void aThousandRequestsWithMalformedBaggageWriteAtMostAHandfulOfLines() throws Exception {
        try (LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), Map.of(),
                "run", "--exporter", "none", "--enable-traces", "--work-scale", "0", "--error-rate", "0",
                "--query-interval", "1h", "--http-port", "0", "--http-address", "127.0.0.1")) {
            URI hello = process.awaitHttpBase(START).resolve("/helloworld");
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(hello)
                        .header("baggage", "user=%zz" + i).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
            }
            process.terminate();
            assertEquals(0, process.awaitExit(START), process.output());
            List<String> lines = process.output().lines().filter(l -> l.toLowerCase().contains("baggage")).toList();
            assertTrue(!lines.isEmpty() && lines.size() <= 3, REQUESTS + " requests with malformed baggage wrote "
                    + lines.size() + " lines (expected 1 to 3): " + lines);
        }
    }
}
