package dev.helloworld.launcher;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.ServiceIdentity;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.host.StartException;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.core.spi.KnownAnswerRun.Backend;
import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code launcher verify}: runs the service for a bounded time as {@code run} would, writes the
 * manifest of what it sent, then reads it back from the named backends and prints one line per
 * check as {@code check} does. The recording and the read-back belong to plugin-verify
 * ({@link KnownAnswerRun}); this parses, runs the host and prints.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, abbreviateSynopsis = true, sortOptions = false,
        description = {"Run for a while with the same options as 'run', write a manifest of everything sent "
                + "(each trace and its spans, log records per trace, metric values at the end, and each incident that "
                + "--scenario or --scenario-schedule injected: what, on what, its start and end in UTC), then read it back "
                + "from the named backends and say for each whether it was stored whole, under the right service.",
                "Everything the run sends carries the resource attribute helloworld.run.id."},
        footer = {"", "Exit codes: 0 everything named was found, 1 something was not (or the run failed), 2 usage error."})
final class VerifyCommand implements Callable<Integer> {

    private final Invocation invocation;
    private final ClassLoader loader;
    private final ShutdownSignals signals;

    @Spec
    private CommandSpec spec;

    @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "30s",
            description = "How long the run makes requests, such as 30s or 2m. Default: ${DEFAULT-VALUE}.")
    private String duration;

    @Option(names = "--manifest", paramLabel = "<file>", required = true,
            description = "Where to write the manifest of what was sent (JSON).")
    private Path manifest;

    @Option(names = "--zipkin", paramLabel = "<url>",
            description = "Read the traces back from this Zipkin (its API v2), such as http://zipkin:9411.")
    private URI zipkin;

    @Option(names = "--tempo", paramLabel = "<url>",
            description = "Read the traces back from this Tempo (GET /api/traces/{id}), such as http://tempo:3200.")
    private URI tempo;

    @Option(names = "--jaeger", paramLabel = "<url>",
            description = "Read the traces back from this Jaeger query service (its JSON API v1), such as http://jaeger:16686.")
    private URI jaeger;

    @Option(names = "--prometheus", paramLabel = "<url>",
            description = "Read the metrics, the resource (target_info) and the exemplars back from this Prometheus "
                    + "HTTP API (Mimir, Thanos and VictoriaMetrics speak it too), such as http://prometheus:9090.")
    private URI prometheus;

    @Option(names = "--loki", paramLabel = "<url>",
            description = "Read the log records back from this Loki (3.x, OTLP ingestion), such as http://loki:3100, "
                    + "and check that each carries the id of the trace it was written in.")
    private URI loki;

    @Option(names = "--pyroscope", paramLabel = "<url>",
            description = "Read the profiles back from this Grafana Pyroscope (its Connect query API), such as "
                    + "http://pyroscope:4040, and check that the spans with pyroscope.profile.id have span profiles.")
    private URI pyroscope;

    @Option(names = "--deadline", paramLabel = "<duration>", defaultValue = "60s",
            description = "How long to wait, after the run, for every backend to show its data. Default: ${DEFAULT-VALUE}.")
    private String deadline;

    @Option(names = "--output", paramLabel = "<text|json>", defaultValue = "text",
            description = "text: one line per check; json: one object, for scripts. Default: ${DEFAULT-VALUE}.")
    private CheckCommand.Output output;

    VerifyCommand(Invocation invocation, ClassLoader loader, ShutdownSignals signals) {
        this.invocation = invocation;
        this.loader = loader;
        this.signals = signals;
    }

    @Override
    public Integer call() throws Exception {
        Duration length = duration("--duration", duration);
        Duration wait = duration("--deadline", deadline);
        Map<Backend, URI> backends = backends();
        if (!invocation.broken().isEmpty()) {
            invocation.broken().forEach(b -> spec.commandLine().getErr().println("launcher: " + b.message()));
            return ExitCode.SOFTWARE;
        }
        KnownAnswerRun verifier = ServiceLoader.load(KnownAnswerRun.class, loader).findFirst().orElse(null);
        if (verifier == null) {
            spec.commandLine().getErr().println("launcher: verify needs plugin-verify, which is not installed");
            return ExitCode.SOFTWARE;
        }
        Config config = ConfigOptions.resolve(spec, Plugins.configKeys(invocation.plugins()), invocation);
        // The report is the output; the run's log lines go beside it.
        ConsoleLogging.install(System.err, config.get(Keys.DEBUG));
        List<SignalCheck> lines = new ArrayList<>();
        // Closed after the read-back: a scrape endpoint of the run serves its final values until then.
        try (KnownAnswerRun.Recording recording = verifier.record()) {
            ServiceHost host = new ServiceHost(invocation.plugins(), config);
            // The OTLP plugin's scrape endpoint serves the final values until the read-back is done.
            host.publish(KnownAnswerRun.Recording.class, recording);
            signals.stopWith(host::stop, config.get(Keys.SHUTDOWN_TIMEOUT));
            try {
                host.start();
            } catch (StartException e) {
                if (e.getCause() instanceof ConfigException usage) {
                    // Options that clash, found by the plugin they belong to: a usage error, exit 2.
                    throw usage;
                }
                return ExitCode.SOFTWARE;
            }
            boolean interrupted = runFor(host, length);
            // Written after the stop: the last spans, log records and metric values exist only then.
            String recorded = recording.writeManifest(manifest, config,
                    host.lookup(IncidentLog.class).map(IncidentLog::ended).orElse(List.of()));
            // A stop that was not clean may have left telemetry undelivered: the read-back shows what.
            lines.add(host.stoppedCleanly()
                    ? new SignalCheck("run", manifest.toString(), SignalCheck.Status.OK, length,
                            recorded + (interrupted ? "; stopped early by a signal" : ""), "")
                    : SignalCheck.failed("run", manifest.toString(), length, recorded + "; the run did not stop cleanly",
                            "see the [otlp] lines above for what was not delivered"));
            lines.addAll(verifier.readBack(manifest, backends, wait));
        }
        CheckReport report = new CheckReport(ServiceIdentity.of(config), lines);
        spec.commandLine().getOut().print(output == CheckCommand.Output.json ? report.json(wait) : report.text());
        spec.commandLine().getOut().flush();
        return report.allThrough() ? ExitCode.OK : ExitCode.SOFTWARE;
    }

    /** Lets the host run for {@code length}, then stops it; true when a signal stopped it first. */
    private static boolean runFor(ServiceHost host, Duration length) throws Exception {
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(host::awaitStopped);
        try {
            stopped.get(length.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            host.stop();
            host.awaitStopped();
            return false;
        }
    }

    private Map<Backend, URI> backends() {
        Map<Backend, URI> backends = new EnumMap<>(Backend.class);
        if (zipkin != null) {
            backends.put(Backend.ZIPKIN, httpUrl("--zipkin", zipkin));
        }
        if (tempo != null) {
            backends.put(Backend.TEMPO, httpUrl("--tempo", tempo));
        }
        if (jaeger != null) {
            backends.put(Backend.JAEGER, httpUrl("--jaeger", jaeger));
        }
        if (loki != null) {
            backends.put(Backend.LOKI, httpUrl("--loki", loki));
        }
        if (prometheus != null) {
            backends.put(Backend.PROMETHEUS, httpUrl("--prometheus", prometheus));
        }
        if (pyroscope != null) {
            backends.put(Backend.PYROSCOPE, httpUrl("--pyroscope", pyroscope));
        }
        return backends;
    }

    private URI httpUrl(String option, URI uri) {
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ParameterException(spec.commandLine(), "invalid value for " + option + ": '" + uri
                    + "' (an http or https URL such as http://localhost:9411)");
        }
        return uri;
    }

    private Duration duration(String option, String text) {
        return Durations.parse(text).filter(d -> !d.isZero()).orElseThrow(() -> new ParameterException(
                spec.commandLine(), "invalid value for " + option + ": '" + text + "' (a duration such as 30s or 2m, not 0)"));
    }
}
