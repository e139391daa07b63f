package dev.helloworld.querier;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.ValueType;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The options this plugin adds. */
final class QuerierKeys {

    static final ConfigKey<Duration> INTERVAL = ConfigKey.builder("query.interval", ValueType.duration())
            .env("QUERY_INTERVAL")
            .defaultValue(Duration.ofSeconds(3))
            .description("Time between two calls of /helloworld (the first comes after one interval), unless --query-rate is set.")
            .build();

    /**
     * Where to send the calls. Its default is computed from the server's configured address so
     * that {@code launcher config} shows something useful; when it is not set explicitly, the
     * address the in-process server actually bound wins (it differs with port 0).
     */
    static final ConfigKey<URI> TARGET = ConfigKey.builder("query.target", ValueType.httpUrl())
            .env("QUERY_TARGET")
            .defaultValue(c -> configuredServer(c.get(Keys.HTTP_ADDRESS), c.get(Keys.HTTP_PORT)),
                    "the in-process HTTP server")
            .description("Base URL of the service to call; /helloworld is appended.")
            .build();

    static final ConfigKey<Double> RATE = ConfigKey.builder("query.rate", ValueType.decimal("<per-second>", 0, 10_000))
            .env("QUERY_RATE")
            .defaultValue(0.0)
            .description("Calls per second, as steady reference traffic; 0 calls once per --query-interval instead.")
            .build();

    /**
     * The most calls in flight. Each is a thread and a connection: 1 024 of them took every
     * connection the in-process server allows (its external probes timed out) and 1 080 threads.
     * 128 is half of what one client address may hold on plugin-http's data listener (256 of
     * 1 024), so that the querier never makes its own server refuse others, and eight times the
     * server's worker threads on a 2-core machine, past which more calls only queue there.
     */
    static final int MAX_CONCURRENCY = 128;

    static final ConfigKey<Integer> CONCURRENCY = ConfigKey.builder("query.concurrency",
                    ValueType.integer("<calls>", 1, MAX_CONCURRENCY))
            .env("QUERY_CONCURRENCY")
            .defaultValue(4)
            .description("With --query-rate, how many calls may be in flight at once (a thread and a connection each; "
                    + "at most 128, half of what one client may hold on the server); a call that would exceed it is "
                    + "skipped and counted.")
            .build();

    static final List<ConfigKey<?>> ALL = List.of(INTERVAL, TARGET, RATE, CONCURRENCY);

    private QuerierKeys() {}

    /** The server's configured address, with loopback for a wildcard, which one cannot connect to. */
    static URI configuredServer(String address, int port) {
        String host = switch (address) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "::0" -> "[::1]";
            default -> address.contains(":") ? "[" + address + "]" : address;
        };
        return URI.create("http://" + host + ":" + port);
    }
}
