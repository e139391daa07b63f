package dev.helloworld.profiling;

import io.pyroscope.javaagent.ProfilerDelegate;
import io.pyroscope.javaagent.Snapshot;
import io.pyroscope.javaagent.api.Exporter;
import io.pyroscope.javaagent.api.ProfilingScheduler;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cuts the running profile every interval and hands it to the exporter, and cuts the last one
 * on stop.
 *
 * <p>It replaces the agent's own scheduler, whose stop (agent 2.1.2, and still on its main branch)
 * throws away the profile of the interval in progress: up to ten seconds of the service's last
 * moments, which is exactly what a shutdown investigation wants to see.
 */
final class UploadScheduler implements ProfilingScheduler {

    private final Duration interval;
    private final Exporter exporter;
    private final System.Logger log;
    private final Object lock = new Object();
    private ScheduledExecutorService timer;
    private ProfilerDelegate profiler;
    private Instant since;

    UploadScheduler(Duration interval, Exporter exporter, System.Logger log) {
        this.interval = interval;
        this.exporter = exporter;
        this.log = log;
    }

    @Override
    public void start(ProfilerDelegate profiler) {
        synchronized (lock) {
            if (this.profiler != null) {
                throw new IllegalStateException("already started");
            }
            profiler.start();
            this.profiler = profiler;
            since = Instant.now();
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "profiling-schedule");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::rotate, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (lock) {
            if (profiler == null) {
                return;
            }
            stopping = timer;
            timer = null;
            try {
                exporter.export(cut(false));
            } catch (RuntimeException e) {
                log.log(Level.WARNING, "the last profile could not be taken: " + e.getMessage());
            } finally {
                profiler = null;
            }
        }
        stopping.shutdownNow();
    }

    private void rotate() {
        synchronized (lock) {
            if (profiler == null) {
                return;
            }
            try {
                exporter.export(cut(true));
            } catch (RuntimeException e) {
                // The next interval tries again; one lost profile is not worth stopping for.
                log.log(Level.WARNING, "a profile could not be taken: " + e.getMessage());
            }
        }
    }

    /** Stops the profiler, takes what it recorded since the last cut, and restarts it if asked. */
    private Snapshot cut(boolean restart) {
        profiler.stop();
        Instant now = Instant.now();
        Snapshot snapshot;
        try {
            snapshot = profiler.dumpProfile(since, now);
        } finally {
            since = now;
            if (restart) {
                profiler.start();
            }
        }
        return snapshot;
    }
}
