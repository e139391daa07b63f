/**
 * The helloworld HTTP service: {@code GET /helloworld} with the original's traces, metrics and
 * logs, health probes, and a reusable server-span handler for Undertow. Exports nothing: the
 * host reaches it through the {@code Service} SPI only.
 */
module dev.helloworld.http {
    requires dev.helloworld.core;
    // The API only; the SDK, when there is one, is published by plugin-otlp through the context.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    // Stable semantic-convention attribute keys for the server span.
    requires io.opentelemetry.semconv;
    // The server span and the HTTP server metrics through OpenTelemetry's Instrumenter
    // (handlers.ServerSpanHandler); http.server.active_requests is in the incubator.
    requires io.opentelemetry.instrumentation_api;
    requires io.opentelemetry.instrumentation_api_incubator;
    // Automatic module names (the jars have no module-info): derived from the file names.
    requires undertow.core;
    requires xnio.api;
    // Undertow logs through JBoss Logging, an explicit module since 3.5: the automatic modules
    // above read it but cannot require it, and an explicit module is resolved only when one is.
    requires org.jboss.logging;

    provides dev.helloworld.core.spi.Service with dev.helloworld.http.HttpService;
}
