package dev.helloworld.launcher;

import picocli.CommandLine.Command;

/** The top-level {@code launcher} command; it only holds the subcommands. */
@Command(name = "launcher",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "helloworld: a reference service that emits traces, metrics, logs and profiles.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Every option can also be set by its environment variable, shown in 'launcher run --help'.",
                "Exit codes: 0 done, 1 runtime failure, 2 usage error."})
final class LauncherCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // From the registered subcommands, so that a new command cannot be missing from the list.
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command: expected one of "
                + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }
}
