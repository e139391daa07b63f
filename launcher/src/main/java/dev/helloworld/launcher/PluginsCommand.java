package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.host.BrokenPlugin;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code launcher plugins}: every discovered plugin, in start order, and whether it would run. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, abbreviateSynopsis = true, sortOptions = false,
        description = {"List the discovered plugins in start order: module, version, priority, status.",
                "A plugin that cannot be used is listed last as broken, with why and its jar."})
final class PluginsCommand implements Callable<Integer> {

    private final Invocation invocation;

    @Spec
    private CommandSpec spec;

    PluginsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
        List<Plugin> plugins = invocation.plugins();
        Config config = ConfigOptions.resolve(spec, Plugins.configKeys(plugins), invocation);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "MODULE", "VERSION", "PRIORITY", "STATUS"));
        for (Plugin p : plugins) {
            String status = p.disabledReason(config).map(r -> "disabled (" + r + ")").orElse("enabled");
            rows.add(List.of(p.name(), p.module(), p.version(), String.valueOf(p.priority()), status));
        }
        for (BrokenPlugin b : invocation.broken()) {
            rows.add(List.of("?", "-", "-", "-", "broken: " + b.what() + ": " + b.reason()));
        }
        spec.commandLine().getOut().print(Table.format(rows));
        if (plugins.isEmpty() && invocation.broken().isEmpty()) {
            spec.commandLine().getOut().println("(no plugins found: put plugin jars in lib/, or plugins/ in the runtime image)");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
