package dev.helloworld.otlp.api;

import io.opentelemetry.api.OpenTelemetry;

/**
 * OpenTelemetry for the logical services a plugin runs inside this process, each with a resource
 * of its own: the OTLP plugin publishes it in the service context next to the process's
 * {@code OpenTelemetry}. A resource belongs to a whole SDK, so each logical service gets an SDK
 * of its own, with the process's resource but for {@code service.name}, that sends through the
 * process's pipeline: the same batch queues, retry buffers, exporters, sampler and rate limit,
 * so that the logical services share the process's delivery budget, and its summary at stop
 * counts their telemetry. The OTLP plugin flushes and shuts them down when it stops, after every
 * service that could use them.
 */
public interface ServiceTelemetry {

    /**
     * The OpenTelemetry of the logical service whose {@code service.name} is {@code serviceName};
     * built on the first call, the same object after.
     */
    OpenTelemetry forService(String serviceName);
}
