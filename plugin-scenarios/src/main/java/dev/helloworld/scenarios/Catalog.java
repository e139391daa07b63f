package dev.helloworld.scenarios;

import dev.helloworld.core.spi.ScenarioCatalog;
import java.util.List;
import java.util.stream.Stream;

/** The scenarios of this plugin, for {@code launcher scenarios}. */
public final class Catalog implements ScenarioCatalog {

    @Override
    public List<Entry> scenarios() {
        return Stream.of(Scenario.values()).map(s -> new Entry(s.id(), s.description(),
                s.params().stream().map(Catalog::describe).toList(), s.signals())).toList();
    }

    private static Parameter describe(Param<?> param) {
        return new Parameter(param.name(), param.type().label(), param.format(param.defaultValue()), param.description());
    }
}
