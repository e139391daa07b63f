package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import java.util.List;

/**
 * The service name as Pyroscope's application name. Pyroscope's ingest refuses a name with any
 * character but ASCII letters, digits, {@code . _ - /} (grafana/pyroscope
 * {@code api/model/labelset/validate.go}, {@code ValidateServiceName}), and {@code {}=,} would
 * change what the agent's {@code name{k=v}} says. OTLP takes any name, so this is checked only
 * when profiling runs: a name with a space still serves traces, metrics and logs.
 */
final class ApplicationName {

    static final String ALLOWED = "a name of letters, digits, '.', '_', '-' and '/' (what Pyroscope takes as an "
            + "application name), or profiling off";

    private ApplicationName() {}

    static boolean valid(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || "._-/".indexOf(c) >= 0));
    }

    /**
     * A usage error (exit 2) naming where the name was set: {@code invalid value 'shop a' for
     * OTEL_SERVICE_NAME: expected a name of letters, ...}.
     */
    static void check(Config config) throws ConfigException {
        String name = config.get(Keys.SERVICE_NAME);
        if (!valid(name)) {
            throw new ConfigException(List.of(new ConfigError(config.origin(Keys.SERVICE_NAME).where(), name, ALLOWED)));
        }
    }
}
