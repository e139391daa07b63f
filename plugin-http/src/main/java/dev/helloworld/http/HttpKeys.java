package dev.helloworld.http;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.ValueType;
import java.util.List;

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

    static final List<ConfigKey<?>> ALL = List.of(WORK_SCALE, ERROR_RATE);

    private HttpKeys() {}
}
