package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.host.BrokenPlugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.host.StartException;
import dev.helloworld.core.logging.ConsoleLogging;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code launcher run}: starts the enabled plugins and keeps them running until SIGTERM, SIGINT or SIGHUP. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, abbreviateSynopsis = true, sortOptions = false,
        description = "Start every enabled plugin, in priority order, and run until SIGINT, SIGTERM or SIGHUP.")
final class RunCommand implements Callable<Integer> {

    private static final System.Logger LOG = System.getLogger(ServiceHost.LOGGER_PREFIX + "launcher");

    private final Invocation invocation;
    private final ShutdownSignals signals;

    @Spec
    private CommandSpec spec;

    RunCommand(Invocation invocation, ShutdownSignals signals) {
        this.invocation = invocation;
        this.signals = signals;
    }

    @Override
    public Integer call() throws Exception {
        List<BrokenPlugin> refused = invocation.broken().stream().filter(b -> !b.isSetAsideJar()).toList();
        if (!refused.isEmpty()) {
            // Running without a plugin that is there would be a silent surprise: refuse, naming each.
            refused.forEach(b -> spec.commandLine().getErr().println("launcher: " + b.message()));
            return ExitCode.SOFTWARE;
        }
        Config config = ConfigOptions.resolve(spec, Plugins.configKeys(invocation.plugins()), invocation);
        ConsoleLogging.install(System.out, config.get(Keys.DEBUG));
        // A jar set aside holds no plugin that could run (or its first copy runs): say so, and serve.
        invocation.broken().forEach(b -> LOG.log(System.Logger.Level.WARNING, b.message()));
        ServiceHost host = new ServiceHost(invocation.plugins(), config);
        // Before start, so that a signal during a slow start still stops what has started; a signal
        // that came earlier, while the plugins were being found, stops the host before it starts any.
        boolean stoppedBeforeStart = signals.stopWith(host::stop, config.get(Keys.SHUTDOWN_TIMEOUT));
        try {
            host.start();
        } catch (StartException e) {
            if (e.getCause() instanceof ConfigException usage) {
                // Options that clash, found by the plugin they belong to: a usage error, exit 2.
                throw usage;
            }
            // The host has logged the cause and stopped what had started; nothing is left to do.
            return ExitCode.SOFTWARE;
        }
        host.awaitStopped();
        if (!host.stoppedCleanly()) {
            return ExitCode.SOFTWARE;
        }
        if (!stoppedBeforeStart) {
            // Not an archive of a run that loaded no service's classes.
            SharedArchive.training().ifPresent(SharedArchive::keep);
        }
        return ExitCode.OK;
    }
}
