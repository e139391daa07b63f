package dev.helloworld.scenarios;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The option this plugin adds: the scenarios to run from the start. */
final class ScenarioKeys {

    static final ConfigKey<List<ScenarioRequest>> SCENARIO = ConfigKey.builder("scenario", requests())
            .env("SCENARIOS")
            .repeatable()
            .defaultValue(List.of())
            .description("An incident to inject, NAME[:k=v,...], such as error-burst:rate=0.5,after=10s,for=30s; "
                    + "repeatable (in SCENARIOS: separated by ';'). 'launcher scenarios' lists them and their parameters.")
            .build();

    static final ConfigKey<Schedule> SCHEDULE = ConfigKey.builder("scenario.schedule", scheduleFile())
            .env("SCENARIO_SCHEDULE")
            .defaultValue(Schedule.NONE)
            .description("A file of incidents to inject, one a line: NAME k=v ..., such as "
                    + "'error-burst rate=0.5 after=10s for=20s every=60s'; '#' starts a comment. "
                    + "Each scenario once, here and in --scenario together.")
            .build();

    static final List<ConfigKey<?>> ALL = List.of(SCENARIO, SCHEDULE);

    private ScenarioKeys() {}

    private static ValueType<Schedule> scheduleFile() {
        return new ValueType<>() {
            @Override
            public Parsed<Schedule> parse(String raw) {
                return Schedule.read(raw);
            }

            @Override
            public String label() {
                return "<file>";
            }

            @Override
            public String format(Schedule value) {
                return value.file().map(Path::toString).orElse("");
            }
        };
    }

    private static ValueType<List<ScenarioRequest>> requests() {
        return new ValueType<>() {
            @Override
            public Parsed<List<ScenarioRequest>> parse(String raw) {
                List<ScenarioRequest> requests = new ArrayList<>();
                for (String one : raw.split(ConfigKey.REPEAT_SEPARATOR)) {
                    if (one.isBlank()) {
                        continue;
                    }
                    Parsed<ScenarioRequest> parsed = ScenarioRequest.parse(one);
                    if (parsed instanceof Parsed.Invalid<ScenarioRequest> invalid) {
                        return Parsed.invalid(invalid.expected());
                    }
                    ScenarioRequest request = ((Parsed.Value<ScenarioRequest>) parsed).value();
                    if (requests.stream().anyMatch(r -> r.scenario() == request.scenario())) {
                        return Parsed.invalid("each scenario once ('" + request.scenario().id() + "' is given twice)");
                    }
                    requests.add(request);
                }
                return Parsed.value(List.copyOf(requests));
            }

            @Override
            public String label() {
                return "<name[:k=v,...]>";
            }

            @Override
            public String format(List<ScenarioRequest> value) {
                return value.stream().map(r -> r.scenario().id() + ":" + r.parameters().format())
                        .collect(Collectors.joining(ConfigKey.REPEAT_SEPARATOR));
            }
        };
    }
}
