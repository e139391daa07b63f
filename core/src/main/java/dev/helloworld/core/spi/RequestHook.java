package dev.helloworld.core.spi;

import java.util.Optional;

/**
 * Something a plugin does to each request the HTTP server routes, before the route's own handler:
 * an injected incident (a delay, CPU burnt, a failure). A plugin publishes one through
 * {@link ServiceContext#publish} before the HTTP plugin starts (a priority below
 * {@link Priority#SERVER}); the HTTP plugin looks it up and wraps its routes in it. Without one
 * published, the server runs no hook at all.
 *
 * <p>It runs on the worker thread that serves the request, inside the request's server span (the
 * current span), so that what it does is timed, profiled and logged as part of that request.
 */
@FunctionalInterface
public interface RequestHook {

    /**
     * Called once per routed request, before its handler.
     *
     * @param method the request's method, such as {@code GET}
     * @param path   the request's path, without the query
     * @return a failure to answer instead of running the handler, or empty to let it run
     */
    Optional<RequestFailure> beforeRequest(String method, String path);

    /**
     * Called by a plugin that runs logical services in this process (plugin-topology) before one
     * of them serves a request, and before one of them calls a simulated dependency: on the thread
     * that does that work, inside its span (the role's server span, the dependency's client span),
     * so that a delay or an error lands on that service or that dependency only.
     *
     * @param target what is about to work: a role ({@code payments}) or a dependency's node
     *               ({@code postgresql/orders}) as {@link ServiceGraph} names them
     * @return a failure for the request or the call, or empty to let it go on
     */
    default Optional<RequestFailure> beforeWork(String target) {
        return Optional.empty();
    }

    /**
     * An answer that replaces a request's handler.
     *
     * @param status the HTTP status, 400 to 599
     * @param body   the plain-text body
     */
    record RequestFailure(int status, String body) {
        public RequestFailure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
        }
    }
}
