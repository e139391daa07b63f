package dev.helloworld.core.spi;

import java.util.Map;

/**
 * Requests under one path of the management listener ({@code --management-port}), answered by a
 * plugin, never on the data port: controls an operator uses, not traffic. A plugin publishes one
 * through {@link ServiceContext#publish} before the HTTP plugin starts (a priority below
 * {@link Priority#SERVER}); the HTTP plugin serves it when the management listener is on.
 *
 * <p>Handled on a worker thread of the management listener, untraced, like the probes.
 */
public interface ManagementRoute {

    /** The path this route owns, such as {@code /scenarios}; it answers that path and everything under it. */
    String path();

    /** Answers one request under {@link #path()}. Must not throw for bad input: that is a 400. */
    Response handle(Request request);

    /**
     * One request.
     *
     * @param method the method, such as {@code GET}
     * @param path   the whole path, such as {@code /scenarios/latency}
     * @param query  the query parameters, each with its first value
     */
    record Request(String method, String path, Map<String, String> query) {
        public Request {
            query = Map.copyOf(query);
        }
    }

    /**
     * One answer.
     *
     * @param status      the HTTP status
     * @param contentType such as {@code application/json}
     * @param body        the body, written as UTF-8
     */
    record Response(int status, String contentType, String body) {
        public static Response json(int status, String json) {
            return new Response(status, "application/json", json);
        }

        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text);
        }
    }
}
