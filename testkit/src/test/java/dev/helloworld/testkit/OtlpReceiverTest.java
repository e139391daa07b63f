package dev.helloworld.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtlpReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Resource RESOURCE = Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), "receiver-test")));

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @ParameterizedTest
    @CsvSource({"grpc,none", "http,none", "grpc,gzip", "http,gzip"})
    void decodesSpansMetricsAndLogsFromTheSdkExporters(String transport, String compression) {
        Exporters exporters = new Exporters(receiver.endpoint(transport), transport, compression, RetryPolicy.getDefault());

        try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(RESOURCE)
                .addSpanProcessor(SimpleSpanProcessor.create(exporters.spans())).build()) {
            Tracer tracer = tracing.get("test");
            tracer.spanBuilder("checkout").setAttribute("order.id", 42L).startSpan()
                    .addEvent("paid").end();
        }
        try (SdkMeterProvider metering = SdkMeterProvider.builder().setResource(RESOURCE)
                .registerMetricReader(PeriodicMetricReader.create(exporters.metrics())).build()) {
            metering.get("test").counterBuilder("orders").build().add(3);
        }
        try (SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(RESOURCE)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporters.logs())).build()) {
            Logger logger = logging.get("test");
            logger.logRecordBuilder().setBody("order 42 paid").emit();
        }

        Span span = receiver.awaitSpan("checkout", WAIT);
        assertEquals("42", OtlpReceiver.attribute(span.getAttributesList(), "order.id").orElse("(missing)"));
        assertEquals("paid", span.getEvents(0).getName());
        Metric orders = receiver.awaitMetric("orders", WAIT);
        assertEquals(3, orders.getSum().getDataPoints(0).getAsInt(), "the counter's value, in " + orders);
        LogRecord record = receiver.awaitLogRecord(body -> body.equals("order 42 paid"), WAIT);
        assertEquals("order 42 paid", OtlpReceiver.text(record.getBody()));

        for (OtlpReceiver.Received r : receiver.requests()) {
            assertEquals(transport, r.transport(), "transport of " + r.signal());
            assertEquals("secret", r.headers().get("x-test-token"), "x-test-token header of " + r.signal()
                    + " among " + r.headers());
        }
        assertEquals(List.of("traces", "metrics", "logs"),
                receiver.requests().stream().map(OtlpReceiver.Received::signal).distinct().toList());
        assertTrue(receiver.resources().stream().allMatch(
                        res -> OtlpReceiver.attribute(res, "service.name").equals(java.util.Optional.of("receiver-test"))),
                "every resource has service.name=receiver-test: " + receiver.resources());
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void refusesTheNextRequestsWithARetryableErrorThenAccepts(String transport) {
        receiver.failNext(2);
        SpanExporter exporter = new Exporters(receiver.endpoint(transport), transport, "none", fastRetries()).spans();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            tracing.get("test").spanBuilder("retried").startSpan().end();
        }

        receiver.awaitSpan("retried", WAIT);
        assertEquals(2, receiver.refusedCount(), "requests refused before the accepted one");
        assertEquals(1, receiver.requests().size(), "accepted requests: " + receiver.requests());
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void holdsRequestsUnansweredWhileHangingAndAcceptsThemOnRelease(String transport) {
        receiver.hang();
        SpanExporter exporter = new Exporters(receiver.endpoint(transport), transport, "none", fastRetries()).spans();
        CompletableResultCode result = exporter.export(List.of(spanData("held")));

        receiver.awaitHeld(1, WAIT);
        assertEquals(List.of(), receiver.spans(), "nothing is received while held");
        assertTrue(!result.isDone(), "the export is still waiting for an answer");
        receiver.release();

        assertTrue(result.join(10, TimeUnit.SECONDS).isSuccess(), "export succeeded after release");
        assertEquals("held", receiver.awaitSpan("held", WAIT).getName());
        exporter.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void awaitFailsWithAMessageListingWhatArrived() {
        SpanExporter exporter = new Exporters(receiver.grpcEndpoint(), "grpc", "none", fastRetries()).spans();
        exporter.export(List.of(spanData("arrived"))).join(10, TimeUnit.SECONDS);
        receiver.awaitSpan("arrived", WAIT);

        AssertionError error = assertThrows(AssertionError.class,
                () -> receiver.awaitSpan("missing", Duration.ofMillis(100)));
        assertEquals("expected a span named 'missing' within 100 ms, but received 1 spans: [arrived]; "
                + "requests accepted {grpc traces=1}, refused 0, held 0", error.getMessage());
        exporter.shutdown().join(10, TimeUnit.SECONDS);
    }

    @Test
    void answersWhatIsNotAnOtlpProtobufExportWithAClientError() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI traces = receiver.httpEndpoint().resolve("/v1/traces");

        assertEquals(404, client.send(HttpRequest.newBuilder(receiver.httpEndpoint().resolve("/v1/profiles"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(405, client.send(HttpRequest.newBuilder(traces).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(415, client.send(HttpRequest.newBuilder(traces).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(400, client.send(HttpRequest.newBuilder(traces).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xff, 1, 2})).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(List.of(), receiver.requests(), "nothing counts as received");
    }

    @Test
    void stopClosesBothPortsAndANewReceiverCanTakeThemOver() {
        int grpcPort = receiver.grpcEndpoint().getPort();
        int httpPort = receiver.httpEndpoint().getPort();
        receiver.stop();

        assertThrows(ConnectException.class, () -> connect(grpcPort), "gRPC port closed");
        assertThrows(ConnectException.class, () -> connect(httpPort), "HTTP port closed");
        try (OtlpReceiver again = OtlpReceiver.startOn(grpcPort, httpPort)) {
            assertEquals(again.grpcEndpoint(), receiver.grpcEndpoint());
            assertEquals(again.httpEndpoint(), receiver.httpEndpoint());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void speaksTlsWithACertificateThatClientsCanBeToldToTrust(String transport) throws Exception {
        try (OtlpReceiver tls = OtlpReceiver.startTls()) {
            assertEquals("https", tls.endpoint(transport).getScheme());
            byte[] pem = java.nio.file.Files.readAllBytes(tls.caCertificate());
            SpanExporter trusting = new Exporters(tls.endpoint(transport), transport, "none", fastRetries()).spans(pem);
            SpanExporter untrusting = new Exporters(tls.endpoint(transport), transport, "none", fastRetries()).spans();

            assertTrue(trusting.export(List.of(spanData("over tls"))).join(10, TimeUnit.SECONDS).isSuccess(),
                    "export with the receiver's certificate trusted");
            assertTrue(!untrusting.export(List.of(spanData("untrusted"))).join(10, TimeUnit.SECONDS).isSuccess(),
                    "export without it fails");
            assertEquals(List.of("over tls"), tls.spans().stream().map(Span::getName).toList());
            trusting.shutdown().join(10, TimeUnit.SECONDS);
            untrusting.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static void connect(int port) throws IOException {
        new Socket("127.0.0.1", port).close();
    }

    private static RetryPolicy fastRetries() {
        return RetryPolicy.builder().setInitialBackoff(Duration.ofMillis(10)).setMaxBackoff(Duration.ofMillis(50)).build();
    }

    private static io.opentelemetry.sdk.trace.data.SpanData spanData(String name) {
        List<io.opentelemetry.sdk.trace.data.SpanData> captured = new java.util.ArrayList<>();
        SpanExporter capture = new SpanExporter() {
            @Override
            public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> spans) {
                captured.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        try (SdkTracerProvider tracing = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(capture)).build()) {
            tracing.get("test").spanBuilder(name).startSpan().end();
        }
        return captured.get(0);
    }

    /** The SDK's real OTLP exporters for one transport, all sending header x-test-token. */
    private record Exporters(URI endpoint, String transport, String compression, RetryPolicy retries) {

        SpanExporter spans() {
            return spans(null);
        }

        SpanExporter spans(byte[] trustedPem) {
            if (transport.equals("grpc")) {
                var builder = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint.toString()).setCompression(compression)
                        .setRetryPolicy(retries).addHeader("X-Test-Token", "secret");
                return (trustedPem == null ? builder : builder.setTrustedCertificates(trustedPem)).build();
            }
            var builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces").setCompression(compression)
                    .setRetryPolicy(retries).addHeader("X-Test-Token", "secret");
            return (trustedPem == null ? builder : builder.setTrustedCertificates(trustedPem)).build();
        }

        MetricExporter metrics() {
            return transport.equals("grpc")
                    ? OtlpGrpcMetricExporter.builder().setEndpoint(endpoint.toString()).setCompression(compression)
                            .setRetryPolicy(retries).addHeader("X-Test-Token", "secret").build()
                    : OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics").setCompression(compression)
                            .setRetryPolicy(retries).addHeader("X-Test-Token", "secret").build();
        }

        LogRecordExporter logs() {
            return transport.equals("grpc")
                    ? OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint.toString()).setCompression(compression)
                            .setRetryPolicy(retries).addHeader("X-Test-Token", "secret").build()
                    : OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint + "/v1/logs").setCompression(compression)
                            .setRetryPolicy(retries).addHeader("X-Test-Token", "secret").build();
        }
    }
}
