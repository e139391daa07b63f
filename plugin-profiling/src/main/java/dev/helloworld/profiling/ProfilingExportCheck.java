package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.spi.ExportCheck;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.SignalCheck;
import io.pyroscope.javaagent.PyroscopeAgent;
import io.pyroscope.javaagent.ProfilerDelegate;
import io.pyroscope.javaagent.Snapshot;
import io.pyroscope.javaagent.impl.PyroscopeExporter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code launcher check} for profiles: a profile of about one second, taken by the same profiler
 * and uploaded by the same exporter, with the same agent configuration, as {@code launcher run}'s,
 * once (no retries) and within the check's timeout. The agent's exporter reports an upload's
 * outcome only to its logger, so {@link UploadOutcome} is that logger.
 */
public final class ProfilingExportCheck implements ExportCheck {

    static final String SIGNAL = "profiles";

    /**
     * Pyroscope's time range has whole seconds: a profile shorter than one may have an empty
     * range. The check burns CPU meanwhile, so that the profile has samples.
     */
    static final Duration PROFILE_LENGTH = Duration.ofSeconds(1);
    /** Past the deadline, how long the line may take to be written and the exporter closed. */
    private static final Duration CLOSING = Duration.ofMillis(300);

    @Override
    public String name() {
        return "profiling";
    }

    @Override
    public int priority() {
        return Priority.PROFILING;
    }

    @Override
    public List<SignalCheck> check(Config config, Duration timeout) {
        if (!config.get(Keys.ENABLE_PROFILING)) {
            return List.of(SignalCheck.skipped(SIGNAL, "profiling off (--enable-profiling checks it)"));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        URI target = ingest(config.get(Keys.PROFILING_ENDPOINT));
        UploadDiagnosis diagnosis = new UploadDiagnosis(target, timeout);
        String name = config.get(Keys.SERVICE_NAME);
        if (!ApplicationName.valid(name)) {
            return List.of(SignalCheck.failed(SIGNAL, target.toString(), Duration.ZERO, "not sent: the service name '"
                    + name + "' (" + config.origin(Keys.SERVICE_NAME).where() + ") is no Pyroscope application name",
                    "use " + ApplicationName.ALLOWED));
        }
        if (PyroscopeAgent.isStarted()) {
            return List.of(SignalCheck.failed(SIGNAL, target.toString(), Duration.ZERO,
                    "a Pyroscope agent already runs in this JVM", "run the check without -javaagent"));
        }
        AtomicBoolean uploading = new AtomicBoolean();
        CompletableFuture<SignalCheck> work = new CompletableFuture<>();
        // Loading the profiler and profiling have no bound of their own: on a thread of its own,
        // so that the line comes by the deadline even on a machine too busy for them.
        Thread worker = new Thread(() -> {
            try {
                work.complete(takeAndUpload(config, target, diagnosis, deadline, uploading));
            } catch (Throwable t) {
                work.completeExceptionally(t);
            }
        }, "profiling-check");
        worker.setDaemon(true);
        worker.start();
        try {
            return List.of(work.get(Math.max(0, deadline - System.nanoTime()) + CLOSING.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return List.of(uploading.get() ? diagnosis.noAnswer(timeout)
                    : SignalCheck.failed(SIGNAL, target.toString(), timeout, "not sent: no profile was taken within the "
                            + "check's " + Durations.format(timeout) + " (a busy machine?)", "give more time with --timeout"));
        } catch (ExecutionException e) {
            return List.of(SignalCheck.failed(SIGNAL, target.toString(), Duration.ZERO,
                    "the check failed: " + e.getCause(), ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(diagnosis.noAnswer(timeout));
        }
    }

    private static SignalCheck takeAndUpload(Config config, URI target, UploadDiagnosis diagnosis, long deadline,
            AtomicBoolean uploading) {
        Snapshot profile;
        try {
            ProfilerLibrary.load(config.get(ProfilingKeys.TMP_DIR));
            profile = profile(config);
        } catch (RuntimeException e) {
            return SignalCheck.failed(SIGNAL, target.toString(), Duration.ZERO,
                    "no profile could be taken: " + e.getMessage(), "");
        }
        Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
        io.pyroscope.javaagent.config.Config once = AgentConfig.from(config).newBuilder()
                .setIngestMaxRetries(1)
                .setProfileExportTimeout(left)
                .build();
        UploadOutcome outcome = new UploadOutcome();
        PyroscopeExporter exporter = new PyroscopeExporter(once, outcome);
        uploading.set(true);
        long started = System.nanoTime();
        try {
            exporter.export(profile);
            return diagnosis.of(outcome, Duration.ofNanos(System.nanoTime() - started));
        } finally {
            exporter.stop();
        }
    }

    /** Where the agent uploads: the endpoint with "ingest" appended as a path segment (prefixes kept). */
    static URI ingest(URI endpoint) {
        String base = endpoint.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "ingest");
    }

    private static Snapshot profile(Config config) {
        ProfilerDelegate profiler = ProfilerDelegate.create(AgentConfig.from(config));
        Instant from = Instant.now();
        profiler.start();
        try {
            BusyLoop.run(PROFILE_LENGTH);
        } finally {
            profiler.stop();
        }
        return profiler.dumpProfile(from, Instant.now());
    }
}
