/**
 * {@code launcher verify}: a known-answer run and its read-back. The recorder joins the OTLP
 * plugin's SDK through OpenTelemetry's autoconfigure SPI (as plugin-profiling's span processor
 * does), so the OTLP plugin knows nothing of it; the read-back speaks each backend's documented
 * HTTP query API with plain GETs. Nothing is exported.
 */
module dev.helloworld.verify {
    requires dev.helloworld.core;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.sdk.logs;
    requires io.opentelemetry.sdk.metrics;
    requires io.opentelemetry.sdk.autoconfigure.spi;

    provides dev.helloworld.core.spi.KnownAnswerRun with dev.helloworld.verify.VerifyRun;
    provides io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider
            with dev.helloworld.verify.RecordingCustomizer;
}
