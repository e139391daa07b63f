package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Durations;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.spi.Priority;
import dev.helloworld.core.spi.ProfileLabels;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import io.pyroscope.javaagent.PyroscopeAgent;
import io.pyroscope.javaagent.impl.PyroscopeExporter;
import io.pyroscope.labels.v2.Pyroscope;
import io.pyroscope.vendor.one.profiler.AsyncProfiler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Continuous profiling: the Pyroscope agent runs inside the process (no {@code -javaagent} flag),
 * samples CPU with itimer, allocations and lock contention, and uploads a JFR profile every
 * interval to the profiling endpoint. When traces are on too, requests' root spans and their
 * samples point at each other (see {@link ProfileLinkingSpanProcessor} and
 * {@link ProfileLinkingContextStorage}).
 *
 * <p>Nothing of the agent is touched before {@link #start}: a disabled plugin loads no native code.
 */
public final class ProfilingService implements Service {

    /** How long stop waits for the last profile to be uploaded before giving up on it. */
    static final Duration LAST_UPLOAD_TIMEOUT = Duration.ofSeconds(3);
    private static final int QUEUED_PROFILES = 8;

    /** False when start found no native library to load and the service runs on without profiling. */
    private volatile boolean profiling;

    @Override
    public String name() {
        return "profiling";
    }

    @Override
    public int priority() {
        return Priority.PROFILING;
    }

    /**
     * The server and the querier need nothing of the profiler, so they start while async-profiler
     * loads and the agent starts, and the server answers meanwhile: the first request no longer
     * waits some 0.35 s for the profiler (BENCHMARKS.md figure 1). Requests answered before the
     * profiler is up are traced and logged but not profiled, and their spans carry no profile link
     * ({@link ActiveProfiler} is still empty then). /readyz says ready only once it is up.
     */
    @Override
    public boolean startsAlongsideLaterOnes() {
        return true;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return ProfilingKeys.ALL;
    }

    @Override
    public Optional<String> disabledReason(Config config) {
        return config.get(Keys.ENABLE_PROFILING) ? Optional.empty() : Optional.of("profiling off");
    }

    /** A service name that Pyroscope refuses is the user's to fix before anything starts, not a profile lost. */
    @Override
    public void checkConfig(Config config) throws ConfigException {
        ApplicationName.check(config);
    }

    @Override
    public void start(ServiceContext context) {
        Config config = context.config();
        System.Logger log = context.logger();
        if (PyroscopeAgent.isStarted()) {
            throw new IllegalStateException("a Pyroscope agent already runs in this JVM (started with -javaagent?); there can be only one");
        }
        AsyncProfiler profiler;
        try {
            profiler = ProfilerLibrary.load(config.get(ProfilingKeys.TMP_DIR));
        } catch (IllegalStateException e) {
            // Profiles are the one signal the service can do without: a container that forbids
            // loading native code (a noexec /tmp) still serves, traces and logs, and says why.
            log.log(Level.WARNING, "running without profiling: {0}", e.getMessage());
            return;
        }

        io.pyroscope.javaagent.config.Config agentConfig = AgentConfig.from(config);
        AgentLog agentLog = new AgentLog(log, config.get(Keys.TOKEN));
        UploadQueue uploads = new UploadQueue(() -> new PyroscopeExporter(agentConfig, agentLog), QUEUED_PROFILES,
                LAST_UPLOAD_TIMEOUT);
        try {
            PyroscopeAgent.start(new PyroscopeAgent.Options.Builder(agentConfig)
                    .setLogger(agentLog)
                    .setExporter(uploads)
                    .setScheduler(new UploadScheduler(agentConfig.uploadInterval, uploads, log))
                    .build());
        } catch (RuntimeException | ExceptionInInitializerError e) {
            uploads.stop();
            Optional<IllegalStateException> tmpDir = tmpDirProblem(e);
            if (tmpDir.isPresent()) {
                throw tmpDir.get();
            }
            throw e;
        }
        if (!PyroscopeAgent.isStarted()) {
            // The agent logs start failures instead of throwing them.
            uploads.stop();
            throw new IllegalStateException("the profiler did not start: " + agentLog.lastError());
        }
        AgentLeftovers.removeLibraryCopy();
        profiling = true;
        linkSpans(profiler, log);
        // For the logical services of plugin-topology, which reach the agent through core's SPI only.
        context.publish(ProfileLabels.class, new ServiceLabels());
        log.log(Level.INFO, "profiling {0} to {1} every {2} as {3}", profiled(config),
                Secrets.maskUrlCredentials(config.get(Keys.PROFILING_ENDPOINT).toString()),
                Durations.format(agentConfig.uploadInterval),
                agentConfig.timeseries.newBuilder().addLabels(agentConfig.labels).build());
    }

    /**
     * Lets the spans of the OTLP plugin's SDK link to this profiler's samples, when that SDK asked
     * for it (traces on) and the context hook is in place; a hook that came too late would tag
     * spans with profile ids that no sample carries, so then nothing is linked and we say why.
     */
    private static void linkSpans(AsyncProfiler profiler, System.Logger log) {
        if (!ProfileLinkingContextStorage.requested()) {
            return;
        }
        if (!ProfileLinkingContextStorage.installed()) {
            log.log(Level.WARNING, "spans are not linked to profiles: OpenTelemetry's context was in use before the"
                    + " OTLP plugin built its SDK, too late to follow it across threads");
            return;
        }
        ActiveProfiler.use(new TracingContext() {
            @Override
            public void set(long spanId, long spanNameId) {
                profiler.setTracingContext(spanId, spanNameId);
            }

            @Override
            public long register(String spanName) {
                return Pyroscope.LabelsWrapper.registerConstant(spanName);
            }
        });
    }

    @Override
    public void stop() {
        if (!profiling) {
            return;
        }
        ActiveProfiler.clear();
        // Cuts and uploads the last profile (see UploadScheduler, UploadQueue) before returning.
        PyroscopeAgent.stop();
    }

    /**
     * The agent still unpacks a copy of the library, and writes its JFR file, in java.io.tmpdir:
     * when that fails, say so instead of "ExceptionInInitializerError".
     */
    private static Optional<IllegalStateException> tmpDirProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return Optional.of(new IllegalStateException("the profiler cannot write to java.io.tmpdir ("
                        + System.getProperty("java.io.tmpdir") + "): " + io
                        + "; set JAVA_OPTS=-Djava.io.tmpdir=<a writable folder>", failure));
            }
        }
        return Optional.empty();
    }

    private static String profiled(Config config) {
        boolean allocations = config.get(Keys.ENABLE_MEMORY_PROFILING);
        boolean locks = config.get(ProfilingKeys.LOCK_INTERVAL).isPresent();
        if (allocations) {
            return locks ? "cpu (itimer), allocations and locks" : "cpu (itimer) and allocations";
        }
        return locks ? "cpu (itimer) and locks" : "cpu (itimer)";
    }
}
