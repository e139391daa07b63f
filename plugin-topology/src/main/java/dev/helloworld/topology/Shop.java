package dev.helloworld.topology;

import dev.helloworld.core.spi.ServiceGraph;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topology the mode runs: the declared graph, which is also what drives the logical services
 * (each calls its outgoing edges in order), so that what is printed and what is exported cannot
 * drift apart.
 */
public final class Shop implements ServiceGraph {

    /** Where the traffic comes in. */
    static final String ENTRY = "frontend";

    static final String HTTP = "http";
    static final String QUEUE = "queue";

    static final List<Edge> EDGES = List.of(
            new Edge(ENTRY, "orders", HTTP),
            new Edge("orders", Dependency.ORDERS_DATABASE.node(), Dependency.ORDERS_DATABASE.kind()),
            new Edge("orders", "inventory", HTTP),
            new Edge("inventory", Dependency.STOCK_CACHE.node(), Dependency.STOCK_CACHE.kind()),
            new Edge("orders", "payments", HTTP),
            new Edge("orders", MessageQueue.node(), QUEUE),
            new Edge(MessageQueue.node(), "notifications", QUEUE));

    @Override
    public List<Edge> edges() {
        return EDGES;
    }

    /** The logical services served over HTTP, entry first: every caller but the queue, every callee reached over HTTP. */
    static List<String> roles() {
        Set<String> roles = new LinkedHashSet<>();
        for (Edge edge : EDGES) {
            if (!edge.caller().equals(MessageQueue.node())) {
                roles.add(edge.caller());
            }
            if (edge.kind().equals(HTTP)) {
                roles.add(edge.callee());
            }
        }
        return List.copyOf(roles);
    }

    /** The logical services that consume the queue. */
    static List<String> consumers() {
        return EDGES.stream().filter(e -> e.caller().equals(MessageQueue.node())).map(Edge::callee).toList();
    }

    /** What {@code role} calls, in order. */
    static List<Edge> callsOf(String role) {
        return EDGES.stream().filter(e -> e.caller().equals(role)).toList();
    }
}
