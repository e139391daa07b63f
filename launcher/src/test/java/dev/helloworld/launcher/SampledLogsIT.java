package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Log records follow the specification: with OTEL_TRACES_SAMPLER at 0.3, every request's records
 * arrive, sampled or not, and only those of a recorded trace carry trace ids.
 */
class SampledLogsIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int REQUESTS = 40;

    @Test
    void everyRequestsLogRecordsArriveWhateverTheSamplingOfItsTrace() throws Exception {
        try (OtlpReceiver collector = OtlpReceiver.start();
                LauncherProcess process = LauncherProcess.start(LauncherProcess.dist(), Map.of(
                        "OTEL_TRACES_SAMPLER", "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG", "0.3"),
                        "run", "--exporter", "http", "--endpoint", collector.httpEndpoint().toString(),
                        "--enable-traces", "--enable-logs", "--error-rate", "1", "--query-interval", "1h",
                        "--http-port", "0", "--http-address", "127.0.0.1")) {
            URI hello = process.awaitHttpBase(START).resolve("/helloworld");
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < REQUESTS; i++) {
                // No traceparent: this process decides the sampling of each request's trace.
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(hello).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(500, answer.statusCode(), "--error-rate 1: " + answer.body());
            }
            process.terminate();
            assertEquals(0, process.awaitExit(START), "exit code after SIGTERM\n" + process.output());

            List<LogRecord> records = collector.logRecords();
            long received = records.stream().filter(r -> OtlpReceiver.text(r.getBody()).equals("received request: GET /helloworld"))
                    .count();
            long errors = records.stream().filter(r -> OtlpReceiver.text(r.getBody()).startsWith("[traces_random_error_demo]"))
                    .count();
            assertEquals(REQUESTS, received, "'received request' records, one per request\n" + process.output());
            assertEquals(REQUESTS, errors, "ERROR records, one per request\n" + process.output());
            assertTrue(records.stream().filter(r -> OtlpReceiver.text(r.getBody()).startsWith("[traces_random_error_demo]"))
                    .allMatch(r -> r.getSeverityText().equals("ERROR")), "severityText ERROR");

            Set<String> traces = collector.spans().stream().map(s -> OtlpReceiver.hex(s.getTraceId()))
                    .collect(Collectors.toSet());
            int sampled = (int) collector.spans().stream().filter(s -> s.getName().equals("handle/hello_world")).count();
            assertTrue(sampled > 0 && sampled < REQUESTS, sampled + " of " + REQUESTS + " traces sampled at 0.3");
            for (LogRecord record : records) {
                String trace = OtlpReceiver.hex(record.getTraceId());
                assertTrue(trace.isEmpty() || traces.contains(trace),
                        "a record carries the ids of a recorded trace, or none: " + record);
            }
            long withIds = records.stream().filter(r -> !r.getTraceId().isEmpty()
                    && OtlpReceiver.text(r.getBody()).startsWith("received request")).count();
            assertEquals(sampled, withIds, "the records of the sampled requests carry their trace ids");
        }
    }
}
