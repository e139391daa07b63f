package dev.helloworld.topology;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ValueType;
import java.util.List;

/** The options this plugin adds. */
final class TopologyKeys {

    static final ConfigKey<Boolean> TOPOLOGY = ConfigKey.builder("topology", ValueType.bool())
            .env("TOPOLOGY")
            .defaultValue(false)
            .description("Also run the shop: a frontend, an order, a payment, an inventory and a notification service in "
                    + "this process, each with its own service.name (<service name>-<role>), calling each other over HTTP "
                    + "on loopback and a simulated database, cache and queue ('launcher topology' prints the graph).")
            .build();

    static final ConfigKey<Double> RATE = ConfigKey.builder("topology.rate", ValueType.decimal("<per-second>", 0.1, 50))
            .env("TOPOLOGY_RATE")
            .defaultValue(2.0)
            .description("With --topology, requests per second into the frontend; one at a time, so a slow shop "
                    + "gets fewer, never a backlog.")
            .build();

    static final List<ConfigKey<?>> ALL = List.of(TOPOLOGY, RATE);

    private TopologyKeys() {}
}
