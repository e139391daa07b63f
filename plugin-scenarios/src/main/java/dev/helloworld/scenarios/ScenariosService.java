package dev.helloworld.scenarios;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.ManagementRoute;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.RequestHook;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios plugin: starts the {@code --scenario} incidents, and publishes the hook through
 * which they reach requests and the route through which the management port switches them.
 * Nothing runs until a scenario is switched on; every incident ends when the service stops.
 */
public final class ScenariosService implements Service {

    /** After telemetry and the profiler, before the HTTP server, which looks up what this publishes. */
    static final int PRIORITY = Priority.SERVER - 50;

    private Incidents incidents;

    @Override
    public String name() {
        return "scenarios";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return ScenarioKeys.ALL;
    }

    @Override
    public void start(ServiceContext context) throws ConfigException {
        Config config = context.config();
        boolean topologyOn = Target.topologyOn(config);
        List<ScenarioRequest> requests = requested(config);
        // A usage error (exit 2), found before anything is switched on.
        List<ConfigError> unavailable = requests.stream()
                .flatMap(request -> Target.unavailable(request, topologyOn).stream())
                .map(why -> new ConfigError(config.origin(ScenarioKeys.SCENARIO).where(), config.display(ScenarioKeys.SCENARIO),
                        "a target that runs", "invalid value for " + config.origin(ScenarioKeys.SCENARIO).where() + ": " + why))
                .toList();
        if (!unavailable.isEmpty()) {
            throw new ConfigException(unavailable);
        }
        incidents = new Incidents(context.lookup(OpenTelemetry.class).orElse(OpenTelemetry.noop()));
        context.publish(RequestHook.class, incidents);
        context.publish(ManagementRoute.class, new ScenarioApi(incidents, topologyOn));
        context.publish(IncidentLog.class, incidents::ended);
        for (ScenarioRequest request : requests) {
            incidents.start(request);
            context.logger().log(Level.INFO, "{0} switched on ({1})", request.scenario().id(), request.parameters().format());
        }
    }

    /**
     * The {@code --scenario} incidents, then the schedule's. A scenario in both is a usage error:
     * the second would replace the first, as a scenario runs one incident at a time.
     */
    private static List<ScenarioRequest> requested(Config config) throws ConfigException {
        List<ScenarioRequest> flags = config.get(ScenarioKeys.SCENARIO);
        Schedule schedule = config.get(ScenarioKeys.SCHEDULE);
        for (ScenarioRequest planned : schedule.incidents()) {
            if (flags.stream().anyMatch(r -> r.scenario() == planned.scenario())) {
                throw new ConfigException(List.of(new ConfigError(config.origin(ScenarioKeys.SCHEDULE).where(),
                        schedule.file().map(Object::toString).orElse(""), "no scenario that "
                        + config.origin(ScenarioKeys.SCENARIO).where() + " gives too ('" + planned.scenario().id()
                        + "' is in both)")));
            }
        }
        List<ScenarioRequest> all = new ArrayList<>(flags);
        all.addAll(schedule.incidents());
        return all;
    }

    @Override
    public void stop() {
        incidents.stopAll();
    }
}
