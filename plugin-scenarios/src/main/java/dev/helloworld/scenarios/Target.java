package dev.helloworld.scenarios;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.spi.ServiceGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Where an incident lands, a parameter every scenario takes: the process's own HTTP server
 * ({@value #SERVICE}, the default), or one node of the topology that {@code --topology} runs: a
 * logical service's role ({@code payments}) or a dependency ({@code postgresql/orders}), as
 * {@code launcher topology} names them. The graph is read through core's {@link ServiceGraph}, so
 * this plugin needs no compile dependency on plugin-topology.
 */
final class Target {

    /** The process's own server: {@code /helloworld} and the other routes of plugin-http. */
    static final String SERVICE = "service";

    /** The name of plugin-topology's switch, read by name because its key is that plugin's. */
    static final String TOPOLOGY_KEY = "topology";

    /** The kind {@link ServiceGraph.Edge} gives a queue's edges. */
    static final String QUEUE = "queue";

    static final Param<String> TARGET = new Param<>("target", type(), SERVICE, description(topologyNodes()));

    private Target() {}

    /**
     * Every node of the topology's graph that an incident can land on, in the order
     * {@code launcher topology} first names them: the roles and the dependencies, not the queue
     * (a node that is both sent to and delivers), whose producer and consumer are roles.
     */
    static List<String> topologyNodes() {
        ClassLoader loader = Target.class.getClassLoader();
        List<ServiceGraph.Edge> edges = ServiceLoader.load(ServiceGraph.class, loader).findFirst()
                .map(ServiceGraph::edges).orElse(List.of());
        Set<String> nodes = new LinkedHashSet<>();
        Set<String> sentTo = new LinkedHashSet<>();
        Set<String> delivering = new LinkedHashSet<>();
        for (ServiceGraph.Edge edge : edges) {
            nodes.add(edge.caller());
            nodes.add(edge.callee());
            if (edge.kind().equals(QUEUE)) {
                sentTo.add(edge.callee());
                delivering.add(edge.caller());
            }
        }
        sentTo.retainAll(delivering);
        nodes.removeAll(sentTo);
        return List.copyOf(nodes);
    }

    private static String description(List<String> nodes) {
        return "Where it lands: service (this process's own server)" + (nodes.isEmpty()
                ? "; the topology's roles and dependencies with plugin-topology, which is not installed."
                : ", or with --topology a role or dependency of the topology: " + String.join(", ", nodes) + ".");
    }

    /** Why {@code request} cannot run with {@code config}: a topology target without {@code --topology}. */
    static Optional<String> unavailable(ScenarioRequest request, boolean topologyOn) {
        String target = request.parameters().get(TARGET);
        if (target.equals(SERVICE) || topologyOn) {
            return Optional.empty();
        }
        return Optional.of(request.scenario().id() + " target " + target + " is a node of the topology, which is off: "
                + "add --topology, or aim it at target=service");
    }

    /** Whether plugin-topology is installed and switched on in {@code config}. */
    static boolean topologyOn(Config config) {
        return config.keys().stream().filter(key -> key.name().equals(TOPOLOGY_KEY)).findFirst()
                .map(key -> Boolean.TRUE.equals(config.get(key))).orElse(false);
    }

    private static ValueType<String> type() {
        return new ValueType<>() {
            @Override
            public Parsed<String> parse(String raw) {
                String target = raw.trim();
                List<String> valid = new ArrayList<>(List.of(SERVICE));
                valid.addAll(topologyNodes());
                return valid.contains(target) ? Parsed.value(target) : Parsed.invalid("one of " + String.join(", ", valid));
            }

            @Override
            public String label() {
                return "<target>";
            }
        };
    }
}
