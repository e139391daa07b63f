/**
 * The helloworld caller: sends {@code GET /helloworld} to the in-process server (or any target)
 * every few seconds, or at a steady rate, with traced OkHttp calls. Exports nothing: the host
 * reaches it through the {@code Service} SPI only.
 */
module dev.helloworld.querier {
    requires dev.helloworld.core;
    // The API only; the SDK, when there is one, is published by plugin-otlp through the context.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    // OkHttp library instrumentation (automatic module): client spans and traceparent injection.
    requires io.opentelemetry.instrumentation.okhttp_3_0;
    requires okhttp3;

    provides dev.helloworld.core.spi.Service with dev.helloworld.querier.QuerierService;
}
