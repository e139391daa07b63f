package dev.helloworld.core.spi;

import java.util.List;

/**
 * The calls between the logical services that a plugin runs in this process, and from them to
 * their dependencies, as an APM's service map should draw them: what {@code launcher topology}
 * prints, and what the exported spans must add up to.
 *
 * <p>Found with {@link java.util.ServiceLoader} like {@link KnownAnswerRun}; at most one provider
 * is expected (plugin-topology).
 */
public interface ServiceGraph {

    /** Every edge, callers in the order they are first reached from the entry point. */
    List<Edge> edges();

    /**
     * One caller calling one callee.
     *
     * @param caller a logical service's role ({@code frontend}), or a queue that delivers to its consumer
     * @param callee a logical service's role, or a dependency as {@code <db.system.name>} or
     *               {@code <db.system.name>/<db.namespace>} ({@code postgresql/orders}, {@code redis}),
     *               or a queue as {@code <messaging.system>/<messaging.destination.name>}
     * @param kind   how: {@code http}, {@code rpc}, {@code database}, {@code cache} or {@code queue}
     */
    record Edge(String caller, String callee, String kind) {

        /** {@code caller -> callee (kind)}: one line of {@code launcher topology}, parsed back by tests. */
        public String line() {
            return caller + " -> " + callee + " (" + kind + ")";
        }
    }
}
