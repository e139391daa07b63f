package dev.helloworld.scenarios;

import dev.helloworld.core.config.Parsed;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scenario to run with its parameters, parsed from {@code NAME[:k=v,...]} (the {@code --scenario}
 * option) or from a name and query parameters (the management port). Parsing never throws: a bad
 * name or parameter is a {@link Parsed.Invalid} whose text completes "expected ...".
 */
record ScenarioRequest(Scenario scenario, Parameters parameters) {

    /** {@code NAME[:k=v,...]}. */
    static Parsed<ScenarioRequest> parse(String text) {
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        String name = colon < 0 ? trimmed : trimmed.substring(0, colon);
        Map<String, String> given = new LinkedHashMap<>();
        if (colon >= 0) {
            for (String pair : trimmed.substring(colon + 1).split(",", -1)) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    return Parsed.invalid("NAME[:k=v,...], where '" + pair + "' is no k=v");
                }
                given.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        return of(name, given);
    }

    /** A scenario by name with the parameters given as text; the rest at their defaults. */
    static Parsed<ScenarioRequest> of(String name, Map<String, String> given) {
        Scenario scenario = Scenario.byId(name.trim()).orElse(null);
        if (scenario == null) {
            return Parsed.invalid("a scenario, one of " + Scenario.ids() + " ('" + name + "' is none)");
        }
        Map<String, Object> values = new LinkedHashMap<>(Parameters.defaults(scenario.params()).values());
        for (Map.Entry<String, String> entry : given.entrySet()) {
            Param<?> param = scenario.params().stream().filter(p -> p.name().equals(entry.getKey())).findFirst()
                    .orElse(null);
            if (param == null) {
                return Parsed.invalid("parameters of " + scenario.id() + ": " + names(scenario)
                        + " ('" + entry.getKey() + "' is none)");
            }
            if (!(param.type().parse(entry.getValue()) instanceof Parsed.Value<?> value)) {
                Parsed.Invalid<?> invalid = (Parsed.Invalid<?>) param.type().parse(entry.getValue());
                return Parsed.invalid(scenario.id() + " " + param.name() + " to be " + invalid.expected()
                        + " ('" + entry.getValue() + "' is not)");
            }
            values.put(param.name(), value.value());
        }
        ScenarioRequest request = new ScenarioRequest(scenario, new Parameters(scenario.params(), values));
        return Window.checkRepeat(scenario, request.lasting(), request.every())
                .<Parsed<ScenarioRequest>>map(Parsed::invalid).orElseGet(() -> Parsed.value(request));
    }

    Duration after() {
        return parameters.get(Window.AFTER);
    }

    /** Zero: until stopped. */
    Duration lasting() {
        return parameters.get(Window.FOR);
    }

    /** Zero: once. */
    Duration every() {
        return parameters.get(Window.EVERY);
    }

    /**
     * What the incident acts on, for the record: a topology node when it is aimed at one; on this
     * process's own server, its {@code route} parameter when it has one, else {@code *}, every route.
     */
    String target() {
        String aimedAt = parameters.get(Target.TARGET);
        if (!Target.SERVICE.equals(aimedAt)) {
            return aimedAt;
        }
        return parameters.params().stream().filter(p -> p.name().equals("route"))
                .findFirst().map(p -> p.format(parameters.values().get(p.name()))).orElse(ErrorBurst.ANY_ROUTE);
    }

    private static String names(Scenario scenario) {
        return String.join(", ", scenario.params().stream().map(Param::name).toList());
    }
}
