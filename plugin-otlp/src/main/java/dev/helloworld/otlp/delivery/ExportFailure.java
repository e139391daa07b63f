package dev.helloworld.otlp.delivery;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.internal.RetryUtil;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import java.util.Map;
import java.util.Optional;

/**
 * What a failed OTLP export means for its batch: worth sending again later (the collector is
 * away, busy or slow), or refused for good (a retry cannot fix a wrong token, path or port).
 *
 * <p>Read from the {@link FailedExportException} the SDK's exporters fail with, and judged by
 * the SDK's own list of retryable statuses ({@link RetryUtil}), so that "retryable" means here
 * what it means to the SDK's retry policy that ran before.
 *
 * @param retryable true to keep the batch and send it again
 * @param status    {@code HTTP 401}, {@code gRPC UNAUTHENTICATED}, or the reason the request failed
 */
public record ExportFailure(boolean retryable, String status) {

    private static final Map<Integer, String> HTTP_CAUSES = Map.of(
            400, "the port and protocol: the collector could not read the request (--exporter, --endpoint)",
            401, "the token or headers (--token, OTEL_EXPORTER_OTLP_HEADERS)",
            403, "the token or headers (--token, OTEL_EXPORTER_OTLP_HEADERS)",
            404, "the path or port: with --exporter http, /v1/<signal> is appended to --endpoint",
            413, "a batch larger than the collector accepts (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, OTEL_BLRP_MAX_EXPORT_BATCH_SIZE)");

    private static final Map<GrpcStatusCode, String> GRPC_CAUSES = Map.of(
            GrpcStatusCode.INVALID_ARGUMENT, HTTP_CAUSES.get(400),
            GrpcStatusCode.UNAUTHENTICATED, HTTP_CAUSES.get(401),
            GrpcStatusCode.PERMISSION_DENIED, HTTP_CAUSES.get(403),
            GrpcStatusCode.NOT_FOUND, "the path or port: is this the OTLP/gRPC port (--exporter, --endpoint)",
            GrpcStatusCode.UNIMPLEMENTED, "the path or port: is this the OTLP/gRPC port (--exporter, --endpoint)");

    /**
     * Judges a failure. Without a response (connection refused, timed out, reset) the collector
     * is away or slow, which is retryable; so is a failure the exporter gives no reason for.
     */
    static ExportFailure of(Throwable failure) {
        if (failure instanceof FailedExportException.HttpExportException http && http.getResponse() != null) {
            int code = http.getResponse().getStatusCode();
            return new ExportFailure(RetryUtil.retryableHttpResponseCodes().contains(code), "HTTP " + code);
        }
        if (failure instanceof FailedExportException.GrpcExportException grpc && grpc.getResponse() != null) {
            GrpcStatusCode code = grpc.getResponse().getStatusCode();
            return new ExportFailure(RetryUtil.retryableGrpcStatusCodes().contains(String.valueOf(code.getValue())),
                    "gRPC " + code);
        }
        Throwable cause = failure == null ? null : failure.getCause() != null ? failure.getCause() : failure;
        return new ExportFailure(true, cause == null ? "no reason given" : String.valueOf(cause.getMessage()));
    }

    /**
     * The likely cause of a refusal, as the SDK words it in its warning ({@code ... HTTP status
     * code 401 ...}, {@code ... gRPC status code 16 ...}); empty for a retryable status.
     */
    public static Optional<String> likelyCause(boolean grpc, int code) {
        if (grpc) {
            GrpcStatusCode status = GrpcStatusCode.fromValue(code);
            return Optional.ofNullable(status == null ? null : GRPC_CAUSES.get(status));
        }
        return Optional.ofNullable(HTTP_CAUSES.get(code));
    }
}
