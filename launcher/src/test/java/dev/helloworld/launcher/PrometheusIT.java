package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * OTEL_METRICS_EXPORTER=prometheus through OpenTelemetry's own exporter, on the module path of the
 * distribution: /metrics answers a scrape with the service's metrics, beside OTLP for traces.
 */
class PrometheusIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern REQUESTS = Pattern.compile("(?m)^requests_total\\{[^}]*} (\\d+(?:\\.\\d+)?(?:E\\d+)?)");

    @Test
    void aScrapeOfTheMetricsEndpointSeesEveryRequestCounted() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            // The exporter cannot say which port it took, so it is given one that was free just now.
            port = free.getLocalPort();
        }
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), Map.of(
                        "OTEL_METRICS_EXPORTER", "prometheus", "OTEL_TRACES_EXPORTER", "otlp",
                        "OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1", "OTEL_EXPORTER_PROMETHEUS_PORT", String.valueOf(port),
                        "OTEL_EXPORTER_OTLP_ENDPOINT", collector.httpEndpoint().toString(),
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                        "run", "--query-interval", "1h", "--error-rate", "0", "--http-port", "0",
                        "--http-address", "127.0.0.1")) {
            process.awaitStdout("serving metrics to Prometheus at http://127.0.0.1:" + port + "/metrics", START);
            URI hello = process.awaitHttpBase(START).resolve("/helloworld");
            HttpClient client = HttpClient.newHttpClient();
            int requests = 7;
            for (int i = 0; i < requests; i++) {
                assertEquals(200, client.send(HttpRequest.newBuilder(hello).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode());
            }
            HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, scrape.statusCode());
            Matcher counted = REQUESTS.matcher(scrape.body());
            double total = 0;
            while (counted.find()) {
                total += Double.parseDouble(counted.group(1));
            }
            assertEquals(requests, total, 0.0, "requests_total in the scrape:\n" + scrape.body());
            assertTrue(scrape.body().contains("jvm_memory_used"), "the JVM's metrics too");
            collector.awaitSpan("handle/hello_world", START);

            process.terminate();
            assertEquals(0, process.awaitExit(START), process.output());
            assertTrue(process.stderr().isEmpty(), "nothing on standard error\n" + process.output());
            assertTrue(collector.metricsRequests().isEmpty(), "metrics only to Prometheus");
        }
    }
}
