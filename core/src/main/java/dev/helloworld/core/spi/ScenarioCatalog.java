package dev.helloworld.core.spi;

import java.util.List;

/**
 * The incidents a plugin can inject, with their parameters and the signals each shows in, for
 * {@code launcher scenarios}. Found like {@link ExportCheck}s, with {@link java.util.ServiceLoader}:
 * {@code provides dev.helloworld.core.spi.ScenarioCatalog with ...} and
 * {@code META-INF/services/dev.helloworld.core.spi.ScenarioCatalog}; a public no-argument
 * constructor that does no work.
 */
public interface ScenarioCatalog {

    /** Every scenario, in the order to list them. */
    List<Entry> scenarios();

    /**
     * One scenario.
     *
     * @param name        as {@code --scenario} takes it, such as {@code error-burst}
     * @param description what it does, one sentence
     * @param parameters  what it takes, each with a default
     * @param signals     where an APM sees it: each signal and what changes in it
     */
    record Entry(String name, String description, List<Parameter> parameters, String signals) {
        public Entry {
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * One parameter.
     *
     * @param name         as in {@code name=value}
     * @param label        the kind of value, such as {@code <duration>}
     * @param defaultValue the value when not given
     * @param description  what it means, with its bounds
     */
    record Parameter(String name, String label, String defaultValue, String description) {}
}
