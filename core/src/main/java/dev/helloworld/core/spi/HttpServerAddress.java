package dev.helloworld.core.spi;

import java.net.URI;

/**
 * Where the in-process HTTP server actually listens, published by the server once it is bound. A
 * client in the same process looks it up instead of recomputing it from the configuration, which
 * matters when the port is 0 (any free port) or the address is a wildcard.
 *
 * @param uri the base URI, such as {@code http://127.0.0.1:8080}, with a connectable host
 */
public record HttpServerAddress(URI uri) {}
