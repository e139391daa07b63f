package dev.helloworld.core.spi;

import java.time.Instant;
import java.util.List;

/**
 * The record of the incidents a plugin injected (plugin-scenarios), so that a caller that runs the
 * host, such as {@code launcher verify}, can write down what was injected, when and on what
 * without depending on the plugin. The plugin publishes one through {@link ServiceContext#publish};
 * the caller reads it with {@code ServiceHost#lookup} once the host has stopped, when every
 * incident has ended.
 */
@FunctionalInterface
public interface IncidentLog {

    /** Every incident that ran and ended so far, in the order they ended. */
    List<Incident> ended();

    /**
     * One run of one incident, as recorded: the same instants as its start and end log records.
     *
     * @param scenario   its name, such as {@code error-burst}
     * @param parameters every parameter, as {@code --scenario} takes them: {@code rate=0.5,route=*,after=none,for=10s}
     * @param target     what it acted on: a route such as {@code /helloworld}, or {@code *} for every route
     * @param start      its recorded start
     * @param end        its recorded end
     * @param why        why it ended, such as {@code its window ended}
     */
    record Incident(String scenario, String parameters, String target, Instant start, Instant end, String why) {}
}
