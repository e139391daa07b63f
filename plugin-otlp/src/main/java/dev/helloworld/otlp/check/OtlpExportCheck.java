package dev.helloworld.otlp.check;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.ExporterType;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.ExportCheck;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.SignalCheck;
import dev.helloworld.otlp.Destination;
import dev.helloworld.otlp.OtlpKeys;
import dev.helloworld.otlp.SignalExporters;
import dev.helloworld.otlp.sdk.OtelProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * {@code launcher check} for traces, metrics and logs: one span, one batch of metrics and one log
 * record, made and exported with the configuration that {@code launcher run} would use, the three
 * sent at once; each line says whether the collector took it, and if not, why.
 *
 * <p>The exporters are autoconfigure's own, rebuilt with few changes (see {@link CheckExporters}):
 * no retries, so that the first answer is the one reported (a retried 503 would only add backoff
 * before the same line), and the time left of the check as their timeout.
 */
public final class OtlpExportCheck implements ExportCheck {

    /** At most this share of the timeout goes to flushing the samples out of the SDK. */
    private static final double MAKING_SHARE = 0.5;
    /** Past the deadline, how long the exports' lines may take to be written and the exporters closed. */
    private static final Duration CLOSING = Duration.ofMillis(300);

    @Override
    public String name() {
        return "otlp";
    }

    @Override
    public int priority() {
        return Priority.TELEMETRY;
    }

    @Override
    public List<SignalCheck> check(Config config, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SignalExporters exporters = SignalExporters.of(config);
        List<String> on = new ArrayList<>();
        List<SignalCheck> skipped = new ArrayList<>();
        for (String signal : OtelProperties.SIGNALS) {
            if (exporters.sdkDisabled()) {
                skipped.add(SignalCheck.skipped(signal, "OTEL_SDK_DISABLED=" + config.get(OtlpKeys.SDK_DISABLED)
                        + ": the OpenTelemetry SDK is off, nothing is recorded or sent"));
            } else if (!exporters.on(signal)) {
                skipped.add(SignalCheck.skipped(signal, signal + " off (--enable-" + signal + " checks them)"));
            } else if (!exporters.to(signal, Destination.OTLP)) {
                String names = exporters.destinations().get(signal).stream()
                        .map(d -> d.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
                String source = exporters.sources().get(signal);
                skipped.add(SignalCheck.skipped(signal, source.equals(Keys.EXPORTER.flag())
                        ? "exporter " + names + ": nothing leaves the process"
                        : source + "=" + names + ": nothing is sent to a collector"));
            } else {
                on.add(signal);
            }
        }
        List<SignalCheck> results = new ArrayList<>(skipped);
        if (!on.isEmpty()) {
            results.addAll(sendWithin(config, on, timeout, deadline));
        }
        results.sort((a, b) -> Integer.compare(OtelProperties.SIGNALS.indexOf(a.signal()),
                OtelProperties.SIGNALS.indexOf(b.signal())));
        return results;
    }

    /**
     * Builds and sends on a thread of its own and waits for it until the deadline: building the
     * SDK (resource detectors, class loading) has no bound of its own, and on a busy machine it
     * can take most of the timeout; the lines must come in time all the same.
     */
    private static List<SignalCheck> sendWithin(Config config, List<String> on, Duration timeout, long deadline) {
        AtomicBoolean built = new AtomicBoolean();
        CompletableFuture<List<SignalCheck>> work = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                work.complete(send(config, on, timeout, deadline, built));
            } catch (Throwable t) {
                work.completeExceptionally(t);
            }
        }, "otlp-check");
        worker.setDaemon(true);
        worker.start();
        try {
            return work.get(Math.max(0, deadline - System.nanoTime()) + CLOSING.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            ExporterType exporter = SignalExporters.of(config).protocol();
            return on.stream().map(signal -> {
                URI target = URI.create(OtelProperties.signalEndpoint(config.get(Keys.ENDPOINT), exporter, signal));
                return built.get() ? new ExportDiagnosis(signal, exporter, target, timeout).noAnswer(timeout)
                        : SignalCheck.failed(signal, target.toString(), timeout, "not sent: the exporters were not ready "
                                + "within the check's " + Durations.format(timeout) + " (a busy machine?)",
                                "give more time with --timeout");
            }).toList();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<SignalCheck> send(Config config, List<String> on, Duration timeout, long deadline,
            AtomicBoolean built) {
        ExporterType exporter = SignalExporters.of(config).protocol();
        SampleTelemetry samples = SampleTelemetry.make(config, (long) (timeout.toMillis() * MAKING_SHARE));
        built.set(true);
        List<Sending> sending = new ArrayList<>();
        for (String signal : on) {
            RecordingSenders senders = new RecordingSenders();
            Duration left = left(deadline);
            Optional<CheckExporters.Export> export = switch (signal) {
                case "traces" -> samples.spans().map(s -> CheckExporters.spans(s, senders, left));
                case "metrics" -> samples.metrics().map(s -> CheckExporters.metrics(s, senders, left));
                default -> samples.logs().map(s -> CheckExporters.logs(s, senders, left));
            };
            sending.add(new Sending(signal, export, senders, System.nanoTime(),
                    export.map(CheckExporters.Export::send).orElse(null)));
        }
        List<SignalCheck> results = new ArrayList<>();
        for (Sending s : sending) {
            results.add(s.outcome(exporter, config.get(Keys.ENDPOINT), timeout, deadline));
        }
        return results;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** One export under way; {@code result} is null when the SDK made nothing to send. */
    private record Sending(String signal, Optional<CheckExporters.Export> export, RecordingSenders senders,
            long started, CompletableResultCode result) {

        SignalCheck outcome(ExporterType exporter, URI endpoint, Duration timeout, long deadline) {
            URI configured = URI.create(OtelProperties.signalEndpoint(endpoint, exporter, signal));
            if (result == null) {
                return SignalCheck.failed(signal, configured.toString(), Duration.ZERO,
                        "the SDK made no " + signal + " to send", "run with --debug to see why");
            }
            ExportDiagnosis diagnosis = new ExportDiagnosis(signal, exporter, senders.endpoint().orElse(configured), timeout);
            try {
                result.join(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                return result.isDone() ? diagnosis.of(result.isSuccess(), senders.last(), elapsed)
                        : diagnosis.noAnswer(elapsed);
            } finally {
                export.ifPresent(CheckExporters.Export::close);
            }
        }
    }
}
