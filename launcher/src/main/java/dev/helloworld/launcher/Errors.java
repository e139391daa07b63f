package dev.helloworld.launcher;

import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Parsed;
import dev.helloworld.core.config.ValueType;
import dev.helloworld.core.host.PluginException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into exit codes and one line each on standard error: usage errors (bad flags,
 * bad values) exit 2, runtime failures exit 1. Stack traces only with {@code --debug}, since a
 * user's mistake is not a bug.
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    private final PrintWriter err;
    private final boolean debug;

    Errors(PrintWriter err, boolean debug) {
        this.err = err;
        this.debug = debug;
    }

    /** Whether stack traces were asked for, known before the command line is parsed. */
    static boolean debugRequested(String[] args, Map<String, String> env) {
        return Arrays.asList(args).contains("--debug")
                || ValueType.bool().parse(env.getOrDefault("DEBUG", "false")) instanceof Parsed.Value<Boolean> v && v.value();
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        String command = e.getCommandLine().getCommandName();
        String help = "launcher".equals(command) ? "launcher --help" : "launcher " + command + " --help";
        err.println("launcher: " + oneLine(e.getMessage()) + " (see '" + help + "')");
        return CommandLine.ExitCode.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        if (e instanceof ConfigException config) {
            for (ConfigError error : config.errors()) {
                err.println("launcher: " + error.message());
            }
            return CommandLine.ExitCode.USAGE;
        }
        if (e instanceof PluginException) {
            err.println("launcher: " + e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        err.println("launcher: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())));
        if (debug) {
            e.printStackTrace(err);
        }
        return CommandLine.ExitCode.SOFTWARE;
    }

    private static String oneLine(String message) {
        return message.lines().findFirst().orElse("").strip();
    }
}
