/**
 * Scenarios: incidents an APM should catch (an error burst, added latency, a CPU hot spot),
 * switched on with {@code --scenario} at start or on the management port at run time, each start
 * and end recorded as a log record, a span and the {@code scenario.active} gauge. Reaches requests
 * only through core's {@code RequestHook}, which the HTTP plugin runs; exports nothing.
 */
module dev.helloworld.scenarios {
    requires dev.helloworld.core;
    // The API only; the SDK, when there is one, is published by plugin-otlp through the context.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;

    // The topology's graph, whose roles and dependencies an incident may target (plugin-topology's, when installed).
    uses dev.helloworld.core.spi.ServiceGraph;

    provides dev.helloworld.core.spi.Service with dev.helloworld.scenarios.ScenariosService;
    // What 'launcher scenarios' lists.
    provides dev.helloworld.core.spi.ScenarioCatalog with dev.helloworld.scenarios.Catalog;
}
