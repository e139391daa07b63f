package dev.helloworld.core.config;

/** Where the OTLP plugin sends telemetry. */
public enum ExporterType {
    /** OTLP over gRPC, to port 4317 by default. */
    GRPC,
    /** OTLP over HTTP with protobuf bodies, to port 4318 by default. */
    HTTP,
    /** Readable lines on standard output, for trying the service without a collector. */
    CONSOLE,
    /** Nowhere: telemetry is produced and dropped in process, for benchmarks. */
    NONE
}
