package dev.helloworld.testkit;

import com.google.protobuf.Message;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * How the receiver answers one signal's requests instead of accepting them plainly, to play the
 * collector faults a pipeline check must recognise: a refusal (401, 403, 404, ...) or a partial
 * success. Made with {@link #refuse} or {@link #partialSuccess}; given to {@link OtlpReceiver#answer}.
 *
 * @param httpStatus the HTTP status of a refusal; 200 for a partial success
 * @param message    the refusal's text, or the partial success's error message
 * @param rejected   how many items a partial success rejects
 */
public record ScriptedAnswer(int httpStatus, String message, long rejected) {

    /**
     * Refuses with {@code httpStatus} over OTLP/HTTP, and over OTLP/gRPC with the status a
     * collector answers for the same fault: 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404
     * UNIMPLEMENTED (no such service: no pipeline of the signal), 429 RESOURCE_EXHAUSTED, others
     * UNAVAILABLE. The request is not counted as received.
     */
    public static ScriptedAnswer refuse(int httpStatus, String message) {
        if (httpStatus < 400) {
            throw new IllegalArgumentException("a refusal is 4xx or 5xx, not " + httpStatus);
        }
        return new ScriptedAnswer(httpStatus, message, 0);
    }

    /** Accepts the request (it is received) and answers with a partial success rejecting {@code rejected} items. */
    public static ScriptedAnswer partialSuccess(long rejected, String message) {
        return new ScriptedAnswer(200, message, rejected);
    }

    boolean refuses() {
        return httpStatus >= 400;
    }

    Status grpcStatus() {
        Status status = switch (httpStatus) {
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.UNIMPLEMENTED;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            default -> Status.UNAVAILABLE;
        };
        return status.withDescription(message);
    }

    /** The {@code Export*ServiceResponse} of a partial success for {@code signal}. */
    Message response(String signal) {
        return switch (signal) {
            case OtlpReceiver.TRACES -> ExportTraceServiceResponse.newBuilder().setPartialSuccess(
                    ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message)).build();
            case OtlpReceiver.METRICS -> ExportMetricsServiceResponse.newBuilder().setPartialSuccess(
                    ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(message)).build();
            default -> ExportLogsServiceResponse.newBuilder().setPartialSuccess(
                    ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected).setErrorMessage(message)).build();
        };
    }
}
