package dev.helloworld.verify;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.IncidentLog;
import dev.helloworld.core.spi.KnownAnswerRun;
import io.opentelemetry.api.common.AttributeKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One known-answer run while it records. The SDK's parts are created by autoconfigure through
 * ServiceLoader, not by us, so the customizer finds the run here: the one process-wide slot,
 * as there is one SDK and one {@code launcher verify} per process.
 */
final class RunRecording implements KnownAnswerRun.Recording {

    /** Where in the resource the run id goes: every signal's resource carries it, so it is found without guessing. */
    static final AttributeKey<String> RUN_ID = AttributeKey.stringKey(KnownAnswerRun.RUN_ID_ATTRIBUTE);

    private static final AtomicReference<RunRecording> ARMED = new AtomicReference<>();

    private final String runId;
    private final Instant started = Instant.now();
    private final RecordedSpans spans = new RecordedSpans();
    private final RecordedLogs logs = new RecordedLogs();
    private final FinalMetrics metrics = new FinalMetrics();
    private final List<AutoCloseable> servedUntilReadBack = new CopyOnWriteArrayList<>();

    private RunRecording(String runId) {
        this.runId = runId;
    }

    /** Starts recording under {@code runId}; replaces a run armed before (a process runs one). */
    static RunRecording arm(String runId) {
        RunRecording run = new RunRecording(runId);
        ARMED.set(run);
        return run;
    }

    static Optional<RunRecording> armed() {
        return Optional.ofNullable(ARMED.get());
    }

    @Override
    public String runId() {
        return runId;
    }

    RecordedSpans spans() {
        return spans;
    }

    RecordedLogs logs() {
        return logs;
    }

    FinalMetrics metrics() {
        return metrics;
    }

    @Override
    public void closeAfterReadBack(AutoCloseable served) {
        servedUntilReadBack.add(served);
    }

    /** Closes what served the run past its end (the OTLP plugin's scrape endpoint): the read-back is done. */
    @Override
    public void close() {
        for (AutoCloseable served : servedUntilReadBack) {
            try {
                served.close();
            } catch (Exception e) {
                // A server that fails to stop at the end of the process holds nothing worth a failure.
            }
        }
        ARMED.compareAndSet(this, null);
    }

    /** What was recorded so far, with {@code config}'s identity and the run's incidents. */
    Manifest manifest(Config config, List<IncidentLog.Incident> incidents) {
        Identity identity = Identity.of(config);
        Instant ended = Instant.now();
        List<Manifest.Trace> traces = spans.traces(logs);
        return new Manifest(runId, identity, started, ended, traces, logs.withoutTrace(), metrics.last(),
                profiles(config, identity, ended, traces), incidents.stream().map(Manifest.Incident::of).toList());
    }

    /**
     * The profiles of the run, from what the run's spans say: plugin-profiling labels the samples
     * of a request with its local root's span id and sets that id as the root's
     * {@code pyroscope.profile.id}, so the spans carrying one are the linked ones.
     */
    private Manifest.Profiles profiles(Config config, Identity identity, Instant ended, List<Manifest.Trace> traces) {
        if (!config.get(Keys.ENABLE_PROFILING)) {
            return Manifest.Profiles.off(identity.serviceName(), started, ended);
        }
        List<String> linked = traces.stream().flatMap(t -> t.spans().stream())
                .filter(s -> s.profileId().equals(s.spanId())).map(Manifest.Span::spanId).toList();
        return new Manifest.Profiles(identity.serviceName(), started, ended, List.of(Manifest.Profiles.CPU), linked);
    }

    @Override
    public String writeManifest(Path file, Config config, List<IncidentLog.Incident> incidents) throws IOException {
        ARMED.compareAndSet(this, null);
        Manifest manifest = manifest(config, incidents);
        Files.writeString(file, Json.write(manifest.toJson()));
        return manifest.summary();
    }
}
