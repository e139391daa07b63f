package dev.helloworld.otlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.spi.SignalCheck;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The answers that the in-test collector cannot give, classified from the exceptions OkHttp
 * raises for them (their messages as OkHttp 5 writes them); OtlpExportCheckTest covers the rest
 * against real sockets.
 */
class ExportDiagnosisTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final URI HTTP = URI.create("http://collector:4318/v1/traces");
    private static final URI GRPC = URI.create("http://collector:4317/");

    private static SignalCheck http(Throwable error) {
        return new ExportDiagnosis("traces", ExporterType.HTTP, HTTP, TIMEOUT)
                .of(false, Optional.of(new SenderOutcome.Failure(error)), Duration.ofMillis(20));
    }

    private static SignalCheck grpc(SenderOutcome outcome) {
        return new ExportDiagnosis("traces", ExporterType.GRPC, GRPC, TIMEOUT).of(false, Optional.of(outcome),
                Duration.ofMillis(20));
    }

    /** OkHttp's words when a status line never ends: the bytes it read, in hex. */
    private static IOException noStatusLine(String hex) {
        return new IOException("unexpected end of stream on " + HTTP + "...",
                new EOFException("\\n not found: limit=" + hex.length() / 2 + " content=" + hex + "…"));
    }

    @Test
    void aTlsAlertToPlainHttpMeansThePortExpectsTls() {
        SignalCheck line = http(noStatusLine("150303000202" + "46"));

        assertEquals("collector:4318 expects TLS", line.cause());
        assertEquals("use https:// instead of http:// in --endpoint", line.fix());
    }

    @Test
    void aSettingsFrameOfAGrpcServerMeansUseTheGrpcExporter() {
        // grpc-go writes a SETTINGS frame of 6 bytes before it reads the client's preface.
        SignalCheck line = http(noStatusLine("000006040000000000000500004000"));

        assertEquals("collector:4318 answers HTTP/2 only, as a gRPC port does", line.cause());
    }

    @Test
    void anHttp1AnswerReadAsAnHttp2FrameMeansUseTheHttpExporter() {
        SignalCheck line = grpc(new SenderOutcome.Failure(new IOException("FRAME_SIZE_ERROR: 4740180")));

        assertEquals("collector:4317 answers HTTP/1.1, not gRPC (an OTLP/HTTP port?)", line.cause());
        assertEquals("use --exporter http (OTLP/HTTP, usually port 4318), or the OTLP/gRPC port (usually 4317)", line.fix());
    }

    @Test
    void anUnknownHostNamesTheHost() {
        assertEquals("unknown host collector", http(new UnknownHostException("collector: Name or service not known")).cause());
    }

    @Test
    void aGrpcDeadlineIsNoAnswerWithinTheChecksTimeout() {
        SignalCheck line = grpc(new SenderOutcome.Grpc(GrpcStatusCode.DEADLINE_EXCEEDED, "deadline exceeded", new byte[0]));

        assertEquals("no answer from collector:4317 within the check's 10s", line.cause());
    }

    @Test
    void anHttpErrorQuotesTheCollectorsGoogleRpcStatusMessage() {
        // google.rpc.Status { code: 16, message: "invalid token" }, as the collector's OTLP/HTTP receiver writes it.
        byte[] message = "invalid token".getBytes(StandardCharsets.UTF_8);
        byte[] status = new byte[4 + message.length];
        status[0] = 0x08;
        status[1] = 16;
        status[2] = 0x12;
        status[3] = (byte) message.length;
        System.arraycopy(message, 0, status, 4, message.length);

        SignalCheck line = new ExportDiagnosis("traces", ExporterType.HTTP, HTTP, TIMEOUT)
                .of(false, Optional.of(new SenderOutcome.Http(401, "Unauthorized", status)), Duration.ofMillis(5));

        assertEquals("HTTP 401: the collector refused the token (invalid token)", line.cause());
    }
}
