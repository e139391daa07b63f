package dev.helloworld.otlp.check;

import io.opentelemetry.sdk.common.export.GrpcStatusCode;

/** What the collector (or the network) answered one export request, as the sender saw it. */
sealed interface SenderOutcome {

    /** An HTTP answer, whatever its status; the body is the collector's protobuf or text. */
    record Http(int status, String statusMessage, byte[] body) implements SenderOutcome {}

    /** A gRPC answer; the body is the response message (partial success), empty on errors. */
    record Grpc(GrpcStatusCode status, String description, byte[] body) implements SenderOutcome {}

    /** No answer: the request could not be made or was cut off. */
    record Failure(Throwable error) implements SenderOutcome {}
}
