package dev.helloworld.launcher;

import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.host.BrokenPlugin;
import dev.helloworld.core.host.Discovery;
import dev.helloworld.core.host.Plugins;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<CommandLine> keyed = List.of(new CommandLine(new RunCommand(invocation, signals)),
                new CommandLine(new CheckCommand(invocation, loader)),
                new CommandLine(new VerifyCommand(invocation, loader, signals)),
                new CommandLine(new PluginsCommand(invocation)), new CommandLine(new ConfigCommand(invocation)));
        // The configuration's options (70-odd, each a flag and often its --no- twin) only on the
        // command that runs, when it is one of these: building them for all five took picocli 0.2 s
        // of every start on 2 cores (BENCHMARKS.md, figure 1, "quiet machine"). Any other first
        // word (generate-completion, which describes every command, or a mistyped one) gets all.
        Optional<String> invoked = commandNamed(args)
                .filter(name -> keyed.stream().anyMatch(command -> command.getCommandName().equals(name)));
        for (CommandLine command : keyed) {
            if (invoked.isEmpty() || invoked.get().equals(command.getCommandName())) {
                ConfigOptions.addTo(command.getCommandSpec(), keys);
            }
            cli.addSubcommand(command);
        }
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

    /**
     * The command that {@code args} name: their first word that is not an option, as the top
     * level takes no option with a value ({@code --help} and {@code --version} only).
     */
    static Optional<String> commandNamed(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
        }
        return Optional.empty();
    }
}
