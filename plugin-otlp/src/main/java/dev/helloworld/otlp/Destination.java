package dev.helloworld.otlp;

/** Where one signal's data goes: the names of OTEL_*_EXPORTER that this project supports. */
public enum Destination {
    /** To the collector over OTLP, by the protocol of --exporter (or OTEL_EXPORTER_OTLP_PROTOCOL). */
    OTLP,
    /** Readable lines on standard output ({@code console}, or the SDK's older name {@code logging}). */
    CONSOLE,
    /** Metrics only: served at /metrics for a Prometheus server to scrape (OpenTelemetry's own exporter). */
    PROMETHEUS,
    /** Recorded and kept in process, exported nowhere. */
    NONE
}
