package dev.helloworld.launcher;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.host.BrokenPlugin;
import dev.helloworld.core.host.Discovery;
import dev.helloworld.core.host.Plugins;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/** Assembles the command line from the discovered plugins and runs it. */
final class Launcher {

    private Launcher() {}

    /** Runs {@code args} and returns the exit code: 0 done, 1 runtime failure, 2 usage error. */
    static int execute(String[] args, Map<String, String> env, Map<String, String> properties, ClassLoader loader,
            ShutdownSignals signals) {
        PrintWriter err = new PrintWriter(System.err, true);
        // A broken plugin jar is set aside, not fatal: --help, --version and 'plugins' still work,
        // and 'run' refuses to start with one line per broken plugin (see RunCommand). Jars that
        // bin/launcher kept off the path (empty, not a zip, a second copy) come first.
        Discovery discovery = Plugins.scan(loader);
        List<ConfigKey<?>> keys = Plugins.configKeys(discovery.plugins());
        List<BrokenPlugin> broken = new ArrayList<>(SetAsideJars.fromScript());
        broken.addAll(discovery.broken());
        Invocation invocation = new Invocation(discovery.plugins(), List.copyOf(broken), env, properties);
        CommandLine cli = new CommandLine(new LauncherCommand());
        cli.addSubcommand(withOptions(new CommandLine(new RunCommand(invocation, signals)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new CheckCommand(invocation, loader)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new VerifyCommand(invocation, loader, signals)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new PluginsCommand(invocation)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new ConfigCommand(invocation)), keys));
        cli.addSubcommand(new CommandLine(new ScenariosCommand(loader)));
        cli.addSubcommand(new CommandLine(new TopologyCommand(loader)));
        cli.addSubcommand(new CommandLine(new AutoComplete.GenerateCompletion()));
        Errors errors = new Errors(err, Errors.debugRequested(args, env));
        cli.setParameterExceptionHandler(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setErr(err);
        cli.setExecutionStrategy(parsed -> {
            // Only run has something to flush; every other command ends on a stop signal at once.
            if (!(parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1).getCommand() instanceof RunCommand)) {
                signals.exitOnSignal();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli.execute(args);
    }

    private static CommandLine withOptions(CommandLine command, List<ConfigKey<?>> keys) {
        ConfigOptions.addTo(command.getCommandSpec(), keys);
        return command;
    }
}
