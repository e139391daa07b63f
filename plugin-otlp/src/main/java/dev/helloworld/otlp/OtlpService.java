package dev.helloworld.otlp;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.logging.ConsoleLogging;
import dev.helloworld.core.spi.KnownAnswerRun;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import dev.helloworld.otlp.api.ServiceTelemetry;
import dev.helloworld.otlp.delivery.BacklogGuard;
import dev.helloworld.otlp.delivery.DeliverySummary;
import dev.helloworld.otlp.sdk.JvmMetrics;
import dev.helloworld.otlp.sdk.OtelLogHandler;
import dev.helloworld.otlp.sdk.SdkLogging;
import dev.helloworld.otlp.sdk.TelemetrySdk;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The telemetry pipeline: builds the OpenTelemetry SDK, publishes it to the services that start
 * later, bridges the {@code otel} logger to OTel logs, and at stop delivers what is buffered
 * within the shutdown deadline.
 */
public final class OtlpService implements Service {

    /**
     * Kept back from the time the host gives this service to stop, so that the summary line is
     * logged and stop returns before the host would abandon it.
     */
    private static final Duration STOP_MARGIN = Duration.ofMillis(200);

    private System.Logger log;
    private TelemetrySdk telemetry;
    private ServiceContext context;
    // Held strongly: java.util.logging keeps loggers weakly, and a collected one loses its handler.
    private Logger otelLogger;
    private OtelLogHandler logHandler;
    private JvmMetrics jvmMetrics;
    private LogicalServiceSdks logicalServices;

    @Override
    public String name() {
        return "otlp";
    }

    @Override
    public int priority() {
        return Priority.TELEMETRY;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        List<ConfigKey<?>> keys = new ArrayList<>(OtlpKeys.ALL);
        keys.addAll(SdkVariables.ALL);
        return List.copyOf(keys);
    }

    @Override
    public void start(ServiceContext context) {
        Config config = context.config();
        log = context.logger();
        this.context = context;
        SdkLogging.install();
        // During 'launcher verify' the recording decides when the Prometheus endpoint may close.
        telemetry = context.lookup(KnownAnswerRun.Recording.class)
                .map(run -> TelemetrySdk.build(config, run))
                .orElseGet(() -> TelemetrySdk.build(config));
        OpenTelemetrySdk sdk = telemetry.sdk();
        SignalExporters exporters = telemetry.exporters();
        OpenTelemetry published = new EnabledSignals(sdk, exporters.on("traces"), exporters.on("metrics"),
                exporters.on("logs"));
        logicalServices = new LogicalServiceSdks(telemetry);
        try {
            context.publish(OpenTelemetry.class, published);
            context.publish(ServiceTelemetry.class, logicalServices);
        } catch (RuntimeException e) {
            // The host stops only services that started: release the SDK's threads here.
            sdk.shutdown();
            throw e;
        }
        registerGlobalOnce(published);
        if (exporters.on("metrics") && config.get(OtlpKeys.JVM_METRICS)) {
            jvmMetrics = JvmMetrics.register(sdk, log);
        }
        // Taken once now and thrown away: it links the summary's code (string concatenations are
        // bootstrapped at first use), which on a busy machine took the tenths of a second at stop
        // that the margin left for it, so that the host abandoned the stop with a hanging collector.
        DeliverySummary.of(telemetry, config);
        if (exporters.on("logs")) {
            otelLogger = Logger.getLogger(ConsoleLogging.OTEL_LOGGER);
            boolean traceBased = config.get(OtlpKeys.LOGS_TRACE_BASED);
            Optional<BacklogGuard> guard = telemetry.guard();
            logHandler = new OtelLogHandler(sdk.getSdkLoggerProvider(),
                    () -> traceBased || guard.map(BacklogGuard::behind).orElse(false),
                    config.get(OtlpKeys.JUL_EXPERIMENTAL_LOG_ATTRIBUTES));
            otelLogger.addHandler(logHandler);
        }
        log.log(Level.INFO, describe(config, telemetry) + telemetry.rateLimit()
                .map(limit -> "; new traces recorded up to " + limit.perSecond() + "/s").orElse("")
                + (exporters.anyTo(Destination.OTLP)
                        ? "; up to " + ByteSize.format(OtlpKeys.retryBufferBytes(config.get(OtlpKeys.RETRY_BUFFER)))
                                + " kept for re-sending while the collector is away" : ""));
    }

    /**
     * Flushes, then shuts down, every provider, all within the deadline: a collector that is down
     * costs at most that long. What was recorded and could not be delivered is counted in the
     * summary line, and makes this stop fail, so that the process exits 1 and a script can tell.
     */
    @Override
    public void stop() {
        if (otelLogger != null) {
            otelLogger.removeHandler(logHandler);
        }
        // The host's figure, not the configured timeout: services stopped before this one have
        // used part of the shutdown deadline already.
        Duration budget = context.timeLeftToStop().minus(STOP_MARGIN);
        Duration stopTimeout = budget.isNegative() ? Duration.ZERO : budget;
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        telemetry.stop().stopBy(deadline);
        // The logical services' SDKs first: their spans are parts of the same traces, and their
        // last metrics go out through the process's exporters, which must still be open. Their
        // telemetry goes through the process's pipeline, so the summary below counts it too.
        boolean logicalFlushed = await(logicalServices.shutdown(), deadline);
        OpenTelemetrySdk sdk = telemetry.sdk();
        // Metrics are not flushed here: shutting the reader down collects and exports one last time.
        boolean flushed = await(CompletableResultCode.ofAll(List.of(
                sdk.getSdkTracerProvider().forceFlush(),
                sdk.getSdkLoggerProvider().forceFlush())), deadline);
        boolean shut = await(shutdownInBackground(sdk), deadline);
        DeliverySummary summary = DeliverySummary.of(telemetry, context.config());
        if (flushed && shut && logicalFlushed) {
            log.log(Level.INFO, summary.text());
        } else {
            // A collector that refused (401, 404, ...) was reachable: asking would mislead.
            boolean refused = telemetry.spans().refusedForGood() + telemetry.logs().refusedForGood()
                    + telemetry.metrics().refusedForGood() > 0;
            log.log(Level.WARNING, "telemetry not fully delivered within " + Durations.format(stopTimeout)
                    + (refused ? " (the collector refused exports: see its warnings)" : " (is the collector reachable?)")
                    + "; " + summary.text());
        }
        if (jvmMetrics != null) {
            jvmMetrics.close();
        }
        if (!summary.lost().isEmpty()) {
            throw new IllegalStateException("recorded telemetry not delivered: " + summary.lost());
        }
    }

    /**
     * The SDK's shutdown blocks its caller while the metric reader exports for the last time (up
     * to 10 s with a collector that is down), so it runs on its own daemon thread and the deadline
     * is kept by waiting on the result.
     */
    static CompletableResultCode shutdownInBackground(OpenTelemetrySdk sdk) {
        CompletableResultCode done = new CompletableResultCode();
        Thread shutdown = new Thread(() -> {
            CompletableResultCode result = sdk.shutdown();
            result.whenComplete(() -> {
                if (result.isSuccess()) {
                    done.succeed();
                } else {
                    done.fail();
                }
            });
        }, "otlp-shutdown");
        shutdown.setDaemon(true);
        shutdown.start();
        return done;
    }

    private static boolean await(CompletableResultCode result, long deadline) {
        long left = deadline - System.nanoTime();
        return result.join(Math.max(0, left), TimeUnit.NANOSECONDS).isSuccess();
    }

    /**
     * For third-party libraries that look there. Only the first host of a JVM gets it (tests run
     * several); our own code never reads it.
     */
    private void registerGlobalOnce(OpenTelemetry sdk) {
        synchronized (GlobalOpenTelemetry.class) {
            if (GlobalOpenTelemetry.isSet()) {
                log.log(Level.DEBUG, "GlobalOpenTelemetry is already set; left as it is");
                return;
            }
            GlobalOpenTelemetry.set(sdk);
        }
    }

    /**
     * One line saying where each signal goes, with the token masked: {@code exporting traces,
     * metrics over OTLP/grpc to ... (token ...); printing logs on the console; off: ...}.
     */
    private static String describe(Config config, TelemetrySdk telemetry) {
        SignalExporters exporters = telemetry.exporters();
        if (exporters.sdkDisabled()) {
            return "OTEL_SDK_DISABLED=" + config.get(OtlpKeys.SDK_DISABLED)
                    + ": the OpenTelemetry SDK is off; no traces, metrics or logs are recorded or exported";
        }
        List<String> parts = new ArrayList<>();
        List<String> otlp = exporters.signalsTo(Destination.OTLP);
        if (!otlp.isEmpty()) {
            parts.add("exporting " + String.join(", ", otlp) + " over OTLP/" + exporters.protocolName() + " to "
                    + Secrets.maskUrlCredentials(config.get(Keys.ENDPOINT).toString())
                    + " (token " + Secrets.mask(config.get(Keys.TOKEN)) + ")");
        }
        List<String> console = exporters.signalsTo(Destination.CONSOLE);
        if (!console.isEmpty()) {
            parts.add("printing " + String.join(", ", console) + " on the console");
        }
        telemetry.scrape().ifPresent(endpoint -> parts.add("serving metrics to Prometheus at " + endpoint.url()
                + (endpoint.heldForReadBack() ? " until the read-back is done" : "")));
        List<String> none = exporters.signalsTo(Destination.NONE);
        if (!none.isEmpty()) {
            parts.add("keeping " + String.join(", ", none) + " in process (exporter none)");
        }
        if (parts.isEmpty()) {
            parts.add("exporting no signal");
        }
        if (exporters.on("logs") && config.get(OtlpKeys.LOGS_TRACE_BASED)) {
            parts.add("log records of traces not recorded dropped (--logs-trace-based)");
        }
        List<String> off = exporters.off();
        return String.join("; ", parts) + (off.isEmpty() ? "" : "; off: " + String.join(", ", off));
    }
}
