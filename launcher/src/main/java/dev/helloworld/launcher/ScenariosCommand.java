package dev.helloworld.launcher;

import dev.helloworld.core.spi.ScenarioCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code launcher scenarios}: the incidents the plugins can inject, their parameters and signals. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List the scenarios (--scenario NAME[:k=v,...], or POST /scenarios/NAME on the management port):",
                "what each does, its parameters with their defaults, and what it shows in which signal."})
final class ScenariosCommand implements Callable<Integer> {

    private final ClassLoader loader;

    @Spec
    private CommandSpec spec;

    ScenariosCommand(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ScenarioCatalog.Entry> scenarios = new ArrayList<>();
        ServiceLoader.load(ScenarioCatalog.class, loader).forEach(c -> scenarios.addAll(c.scenarios()));
        if (scenarios.isEmpty()) {
            out.println("(no scenarios: the plugin-scenarios jar is not among the plugins)");
        }
        for (ScenarioCatalog.Entry scenario : scenarios) {
            out.println(scenario.name() + ": " + scenario.description());
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("  PARAMETER", "VALUE", "DEFAULT", "MEANING"));
            for (ScenarioCatalog.Parameter p : scenario.parameters()) {
                rows.add(List.of("  " + p.name(), p.label(), p.defaultValue(), p.description()));
            }
            out.print(Table.format(rows));
            out.println("  shows in: " + scenario.signals());
            out.println();
        }
        out.flush();
        return 0;
    }
}
