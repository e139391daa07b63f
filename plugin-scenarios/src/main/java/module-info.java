/**
 * Scenarios: incidents an APM should catch (an error burst, added latency, a CPU hot spot, GC
 * pressure, lock contention, a failing downstream, a log flood, ...),
 * switched on with {@code --scenario} at start or on the management port at run time, each start
 * and end recorded as a log record, a span and the {@code scenario.active} gauge. Reaches requests
 * only through core's {@code RequestHook}, which the HTTP plugin runs; exports nothing.
 */
module dev.helloworld.scenarios {
    requires dev.helloworld.core;
    // The API only; the SDK, when there is one, is published by plugin-otlp through the context.
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    // downstream's traced calls: the OkHttp library instrumentation (automatic module) the querier
    // uses too, already in the image; the JDK's HttpClient would add java.net.http to it.
    requires io.opentelemetry.instrumentation.okhttp_3_0;
    requires okhttp3;

    // The topology's graph, whose roles and dependencies an incident may target (plugin-topology's, when installed).
    uses dev.helloworld.core.spi.ServiceGraph;

    provides dev.helloworld.core.spi.Service with dev.helloworld.scenarios.ScenariosService;
    // What 'launcher scenarios' lists.
    provides dev.helloworld.core.spi.ScenarioCatalog with dev.helloworld.scenarios.Catalog;
}
