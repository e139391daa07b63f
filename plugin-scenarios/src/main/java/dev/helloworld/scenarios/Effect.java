package dev.helloworld.scenarios;

import dev.helloworld.core.spi.RequestHook.RequestFailure;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Optional;

/**
 * What one running incident does: to each request, on the request's worker thread inside its
 * server span, before the route's handler; and, for some, on its own between its start and end.
 */
interface Effect {

    /** @return a failure to answer instead of the handler, or empty to let the request go on */
    Optional<RequestFailure> onRequest(String method, String path);

    /** Called once when the incident starts: for an effect of its own, not tied to requests. */
    default void started() {}

    /** Called once when it ends: releases whatever {@link #started} took. */
    default void ended() {}

    /** Makes an incident's effect; those that make telemetry of their own are given the service's {@code OpenTelemetry}. */
    @FunctionalInterface
    interface Factory {
        Effect create(Parameters parameters, OpenTelemetry openTelemetry);
    }
}
