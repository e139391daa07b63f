package dev.helloworld.topology;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A dependency simulated in process, with the attributes the semantic conventions (1.43) give
 * its client spans. The query text is sanitised as the conventions ask: literals are placeholders.
 *
 * @param node       how the graph names it: {@code <db.system.name>} or {@code <db.system.name>/<db.namespace>}
 * @param kind       the graph's edge kind
 * @param system     {@code db.system.name}
 * @param namespace  {@code db.namespace}, or null when the system has none worth naming
 * @param operation  {@code db.operation.name}
 * @param collection {@code db.collection.name}, or null
 * @param query      {@code db.query.text}, sanitised
 * @param host       {@code server.address}: the name a real deployment would use, resolved by nobody
 * @param port       {@code server.port}
 * @param takes      how long the simulated call lasts
 */
enum Dependency {
    ORDERS_DATABASE("database", "postgresql", "orders", "INSERT", "orders",
            "INSERT INTO orders (customer_id, item_id, quantity) VALUES (?, ?, ?)", "orders-db", 5432, Duration.ofMillis(4)),
    STOCK_CACHE("cache", "redis", null, "GET", null, "GET ?", "inventory-cache", 6379, Duration.ofMillis(1));

    private final String kind;
    private final String system;
    private final String namespace;
    private final String operation;
    private final String collection;
    private final String query;
    private final String host;
    private final int port;
    private final Duration takes;

    Dependency(String kind, String system, String namespace, String operation, String collection, String query,
            String host, int port, Duration takes) {
        this.kind = kind;
        this.system = system;
        this.namespace = namespace;
        this.operation = operation;
        this.collection = collection;
        this.query = query;
        this.host = host;
        this.port = port;
        this.takes = takes;
    }

    String node() {
        return namespace == null ? system : system + "/" + namespace;
    }

    String kind() {
        return kind;
    }

    String system() {
        return system;
    }

    Optional<String> namespace() {
        return Optional.ofNullable(namespace);
    }

    String operation() {
        return operation;
    }

    Optional<String> collection() {
        return Optional.ofNullable(collection);
    }

    String query() {
        return query;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    Duration takes() {
        return takes;
    }

    /** The span name the conventions give: {@code {db.operation.name} {db.collection.name}}, or the operation alone. */
    String spanName() {
        return collection == null ? operation : operation + " " + collection;
    }

    static Optional<Dependency> ofNode(String node) {
        return Arrays.stream(values()).filter(d -> d.node().equals(node)).findFirst();
    }
}
