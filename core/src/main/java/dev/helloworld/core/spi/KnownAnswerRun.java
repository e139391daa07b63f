package dev.helloworld.core.spi;

import dev.helloworld.core.config.Config;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code launcher verify} delegates to: recording what one bounded run hands to the
 * exporters (a manifest), and reading it back from the backends the user names.
 *
 * <p>Found with {@link java.util.ServiceLoader} like {@link ExportCheck}; at most one provider
 * is expected (plugin-verify).
 */
public interface KnownAnswerRun {

    /** The resource attribute that carries a run's id on everything the run sends. */
    String RUN_ID_ATTRIBUTE = "helloworld.run.id";

    /** A query API that can be read back from. */
    enum Backend { ZIPKIN, TEMPO, JAEGER, PROMETHEUS, LOKI, PYROSCOPE }

    /**
     * What one run is recording, from {@link #record()} until {@link #writeManifest}; closed
     * once the read-back is done, as what it serves for scraping outlives the run until then.
     */
    interface Recording extends AutoCloseable {

        /** The value of the resource attribute {@link #RUN_ID_ATTRIBUTE} of everything this run sends. */
        String runId();

        /**
         * Writes what the run handed to the exporters, as JSON, to {@code file}. Call it once the
         * host has stopped: the last spans, log records and metric values exist only then.
         *
         * @param incidents the incidents injected during the run (the host's {@link IncidentLog}),
         *                  written down so that an alert's firing time can be held against them
         * @return what the manifest holds, in a few words, for the run's line of the report
         */
        String writeManifest(Path file, Config config, List<IncidentLog.Incident> incidents) throws IOException;

        /**
         * Keeps {@code served} open after the host has stopped and closes it with this recording,
         * once the read-back is done: what serves the run's data to a backend that pulls it (the
         * OTLP plugin's Prometheus endpoint, which a Prometheus scrapes every so often) must not
         * end with the run, or the final values would never be read. The host's owner hands this
         * recording to the services ({@code ServiceHost#publish}) before they start.
         */
        void closeAfterReadBack(AutoCloseable served);

        @Override
        void close();
    }

    /**
     * Starts recording: every SDK the OTLP plugin builds from now on tags its resource with the
     * run id and shows this recording what it exports. One recording at a time per process.
     */
    Recording record();

    /**
     * Reads the run of {@code manifest} back from each of {@code backends}, waiting up to
     * {@code deadline} in all for the data to become visible; one line per signal and backend,
     * and one per link checked.
     */
    List<SignalCheck> readBack(Path manifest, Map<Backend, URI> backends, Duration deadline) throws IOException;
}
