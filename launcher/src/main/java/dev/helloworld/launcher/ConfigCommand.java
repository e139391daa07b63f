package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.host.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code launcher config}: the effective configuration and where each value came from. */
@Command(name = "config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, abbreviateSynopsis = true, sortOptions = false,
        description = "Show the effective configuration, with the source of each value. Secrets are masked.")
final class ConfigCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    private CommandSpec spec;

    ConfigCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
        invocation.broken().forEach(b -> spec.commandLine().getErr().println("launcher: warning: " + b.message()));
        List<ConfigKey<?>> keys = Plugins.configKeys(invocation.plugins());
        Config config = ConfigOptions.resolve(spec, keys, invocation);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("OPTION", "VARIABLE", "VALUE", "SOURCE"));
        for (ConfigKey<?> key : keys) {
            rows.add(List.of(key.flag(), key.env().orElse("-"), config.display(key),
                    config.origin(key).toString()));
        }
        spec.commandLine().getOut().print(Table.format(rows));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
