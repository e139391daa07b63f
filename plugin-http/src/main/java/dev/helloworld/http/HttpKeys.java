package dev.helloworld.http;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.util.List;
import java.util.Optional;

/** The options this plugin adds; the address and port are core's, shared with the querier. */
final class HttpKeys {

    static final ConfigKey<Double> WORK_SCALE = ConfigKey.builder("work.scale", ValueType.decimal("<factor>", 0, 100))
            .env("WORK_SCALE")
            .defaultValue(1.0)
            .description("Multiplies the CPU time each /helloworld request burns; 1 is the original's, 0 burns none.")
            .build();

    static final ConfigKey<Double> ERROR_RATE = ConfigKey.builder("error.rate", ValueType.decimal("<probability>", 0, 1))
            .env("ERROR_RATE")
            .defaultValue(0.1)
            .description("Probability that /helloworld fails with a random demo error and answers 500.")
            .build();

    /** {@link #MANAGEMENT_PORT}'s value for "no management listener". */
    static final int OFF = -1;

    static final ConfigKey<Integer> MANAGEMENT_PORT = ConfigKey.builder("management.port", portOrOff())
            .env("MANAGEMENT_PORT")
            .defaultValue(OFF)
            .description("Port of a second listener, on --http-address, that answers only /healthz, /readyz and the controls plugins add (/scenarios), with "
                    + "threads and connections of its own: probes are answered whatever the traffic on --http-port. "
                    + "0 picks a free one (logged at start); off: the probes are on --http-port only.")
            .build();

    /**
     * The OpenTelemetry Java agent's own switch, under its own names, with its default: what the
     * HTTP semantic conventions still call experimental ({@code http.server.active_requests}, the
     * body-size histograms and span attributes) is recorded only when asked for, as the agent does.
     */
    static final ConfigKey<Boolean> EMIT_EXPERIMENTAL_TELEMETRY = ConfigKey.builder(
                    "http.server.emit.experimental.telemetry", ValueType.bool())
            .env("OTEL_INSTRUMENTATION_HTTP_SERVER_EMIT_EXPERIMENTAL_TELEMETRY")
            .property("otel.instrumentation.http.server.emit-experimental-telemetry", ValueType.bool(), Optional::of)
            .defaultValue(false)
            .description("Also record the HTTP server telemetry the semantic conventions call experimental, as the "
                    + "OpenTelemetry Java agent does with the same setting: http.server.active_requests, "
                    + "http.server.request.body.size and http.server.response.body.size, and the body sizes on the server span.")
            .build();

    static final List<ConfigKey<?>> ALL = List.of(WORK_SCALE, ERROR_RATE, MANAGEMENT_PORT, EMIT_EXPERIMENTAL_TELEMETRY);

    private HttpKeys() {}

    /** A port as core's {@code ValueType.port(true)} reads it, or {@code off}. */
    private static ValueType<Integer> portOrOff() {
        ValueType<Integer> port = ValueType.port(true);
        return new ValueType<>() {
            @Override
            public Parsed<Integer> parse(String raw) {
                if (raw.trim().equalsIgnoreCase("off")) {
                    return Parsed.value(OFF);
                }
                return port.parse(raw) instanceof Parsed.Value<Integer> v
                        ? v : Parsed.invalid("a port from 1 to 65535, 0 for any free port, or off");
            }

            @Override
            public String label() {
                return "<port|off>";
            }

            @Override
            public String format(Integer value) {
                return value == OFF ? "off" : String.valueOf(value);
            }
        };
    }
}
