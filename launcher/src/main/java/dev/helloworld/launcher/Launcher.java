package dev.helloworld.launcher;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.host.Discovery;
import dev.helloworld.core.host.Plugins;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/** Assembles the command line from the discovered plugins and runs it. */
final class Launcher {

    private Launcher() {}

    /** Runs {@code args} and returns the exit code: 0 done, 1 runtime failure, 2 usage error. */
    static int execute(String[] args, Map<String, String> env, Map<String, String> properties, ClassLoader loader) {
        PrintWriter err = new PrintWriter(System.err, true);
        // A broken plugin jar is set aside, not fatal: --help, --version and 'plugins' still work,
        // and 'run' refuses to start with one line per broken plugin (see RunCommand).
        Discovery discovery = Plugins.scan(loader);
        List<ConfigKey<?>> keys = Plugins.configKeys(discovery.plugins());
        Invocation invocation = new Invocation(discovery.plugins(), discovery.broken(), env, properties);
        CommandLine cli = new CommandLine(new LauncherCommand());
        cli.addSubcommand(withOptions(new CommandLine(new RunCommand(invocation)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new CheckCommand(invocation, loader)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new PluginsCommand(invocation)), keys));
        cli.addSubcommand(withOptions(new CommandLine(new ConfigCommand(invocation)), keys));
        cli.addSubcommand(new CommandLine(new ScenariosCommand(loader)));
        cli.addSubcommand(new CommandLine(new AutoComplete.GenerateCompletion()));
        Errors errors = new Errors(err, Errors.debugRequested(args, env));
        cli.setParameterExceptionHandler(errors);
        cli.setExecutionExceptionHandler(errors);
        cli.setErr(err);
        return cli.execute(args);
    }

    private static CommandLine withOptions(CommandLine command, List<ConfigKey<?>> keys) {
        ConfigOptions.addTo(command.getCommandSpec(), keys);
        return command;
    }
}
