/**
 * The topology mode ({@code --topology}): a frontend, an order, a payment, an inventory and a
 * notification service in one process, each with its own resource, calling each other over HTTP
 * on loopback and a simulated database, cache and queue, so that an APM's service map has
 * something true to draw.
 * Exports nothing: the host reaches it through the {@code Service} SPI, the launcher through
 * {@code ServiceGraph}.
 */
module dev.helloworld.topology {
    requires dev.helloworld.core;
    // ServiceTelemetry: one SDK, one resource, per logical service.
    requires dev.helloworld.otlp;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.semconv;
    // The logical services' servers: the JDK's own, which the image has already (Prometheus exporter).
    requires jdk.httpserver;

    provides dev.helloworld.core.spi.Service with dev.helloworld.topology.TopologyService;
    provides dev.helloworld.core.spi.ServiceGraph with dev.helloworld.topology.Shop;
}
