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
    static final String RPC = "rpc";
    static final String QUEUE = "queue";

    static final List<Edge> EDGES = List.of(
            new Edge(ENTRY, "orders", HTTP),
            new Edge("orders", Dependency.ORDERS_DATABASE.node(), Dependency.ORDERS_DATABASE.kind()),
            new Edge("orders", "inventory", HTTP),
            new Edge("inventory", Dependency.STOCK_CACHE.node(), Dependency.STOCK_CACHE.kind()),
            new Edge("orders", "payments", RPC),
            new Edge("orders", MessageQueue.node(), QUEUE),
            new Edge(MessageQueue.node(), "notifications", QUEUE));

    @Override
    public List<Edge> edges() {
        return EDGES;
    }

    /**
     * The logical services with a server, entry first: every caller but the queue, every callee
     * reached over HTTP or RPC.
     */
    static List<String> roles() {
        Set<String> roles = new LinkedHashSet<>();
        for (Edge edge : EDGES) {
            if (!edge.caller().equals(MessageQueue.node())) {
                roles.add(edge.caller());
            }
            if (edge.kind().equals(HTTP) || edge.kind().equals(RPC)) {
                roles.add(edge.callee());
            }
        }
        return List.copyOf(roles);
    }

    /** The logical services that consume the queue. */
    static List<String> consumers() {
        return EDGES.stream().filter(e -> e.caller().equals(MessageQueue.node())).map(Edge::callee).toList();
    }

    /** Whether {@code role} is reached over RPC, and so serves its method rather than {@code GET /<role>}. */
    static boolean reachedOverRpc(String role) {
        return EDGES.stream().anyMatch(e -> e.callee().equals(role) && e.kind().equals(RPC));
    }

    /** What a role logs when it has served a request: the business it stands for, in words. */
    static String outcome(String role) {
        return switch (role) {
            case ENTRY -> "page served";
            case "orders" -> "order placed";
            case "inventory" -> "stock checked";
            case "payments" -> "payment charged";
            default -> "request served";
        };
    }

    /** What {@code role} calls, in order. */
    static List<Edge> callsOf(String role) {
        return EDGES.stream().filter(e -> e.caller().equals(role)).toList();
    }
}
