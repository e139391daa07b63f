package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Origin;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.core.host.ExportChecks;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.SignalCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code launcher check}: sends one sample of each enabled signal with the configuration
 * {@code run} would use, and prints one line per signal. The checks themselves belong to the
 * plugins that export ({@link dev.helloworld.core.spi.ExportCheck}); this only runs and prints them.
 */
@Command(name = "check", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false,
        description = {"Send one small trace, metrics batch, log record and (with profiling on) profile, with the "
                + "same options as 'run', and say for each whether it got through, and if not, why.",
                "With no --[no-]enable-* option, variable or --debug, traces, metrics and logs are checked."},
        footer = {"", "Exit codes: 0 every enabled signal got through, 1 one did not, 2 usage error."})
final class CheckCommand implements Callable<Integer> {

    /**
     * The OTel SDK's own loggers: their export warnings repeat what the lines say, so they are off
     * unless --debug. Held here, as java.util.logging holds loggers weakly; and taken only in
     * {@link #call}: every command builds this object, and the image's class data archive, trained
     * on 'launcher plugins', grew by 0.45 MiB when java.util.logging started up here.
     */
    private Logger sdkLogger;

    /** Lower case: picocli matches an option's value against the constants as they are written. */
    enum Output { text, json }

    private final Invocation invocation;
    private final ClassLoader loader;

    @Spec
    private CommandSpec spec;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "10s",
            description = "How long the whole check may take, such as 10s or 1m. Default: ${DEFAULT-VALUE}.")
    private String timeout;

    @Option(names = "--output", paramLabel = "<text|json>", defaultValue = "text",
            description = "text: one line per signal; json: one object, for scripts. Default: ${DEFAULT-VALUE}.")
    private Output output;

    CheckCommand(Invocation invocation, ClassLoader loader) {
        this.invocation = invocation;
        this.loader = loader;
    }

    @Override
    public Integer call() throws Exception {
        Duration limit = Durations.parse(timeout).filter(d -> !d.isZero()).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "invalid value for --timeout: '" + timeout + "' (a duration such as 10s or 1m, not 0)"));
        List<ConfigKey<?>> keys = Plugins.configKeys(invocation.plugins());
        Config config = ConfigOptions.resolve(spec, keys, invocation);
        if (!config.get(Keys.DEBUG) && signalsUnset(config)) {
            config = ConfigOptions.resolve(spec, keys, invocation,
                    Map.of(Keys.ENABLE_TRACES.name(), "true", Keys.ENABLE_METRICS.name(), "true",
                            Keys.ENABLE_LOGS.name(), "true"));
        }
        ConsoleLogging.install(System.err, config.get(Keys.DEBUG));
        sdkLogger = Logger.getLogger("io.opentelemetry");
        sdkLogger.setLevel(config.get(Keys.DEBUG) ? Level.ALL : Level.OFF);
        List<SignalCheck> lines = ExportChecks.run(ExportChecks.discover(loader), config, limit);
        CheckReport report = new CheckReport(ServiceIdentity.of(config), lines);
        spec.commandLine().getOut().print(output == Output.json ? report.json(limit) : report.text());
        spec.commandLine().getOut().flush();
        return report.allThrough() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /** Whether the user said nothing about which signals to send: then check is about the pipeline, not a run. */
    private static boolean signalsUnset(Config config) {
        return List.of(Keys.ENABLE_TRACES, Keys.ENABLE_METRICS, Keys.ENABLE_LOGS, Keys.ENABLE_PROFILING).stream()
                .allMatch(key -> config.origin(key).kind() == Origin.Kind.DEFAULT);
    }
}
