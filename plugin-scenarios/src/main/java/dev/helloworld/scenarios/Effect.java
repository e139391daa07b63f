package dev.helloworld.scenarios;

import dev.helloworld.core.spi.RequestHook.RequestFailure;
import java.util.Optional;

/**
 * What one running incident does to a request: called on the request's worker thread inside its
 * server span, before the route's handler.
 */
interface Effect {

    /** @return a failure to answer instead of the handler, or empty to let the request go on */
    Optional<RequestFailure> onRequest(String method, String path);
}
