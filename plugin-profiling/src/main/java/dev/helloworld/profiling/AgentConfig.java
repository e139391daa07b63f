package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.config.ServiceIdentity;
import io.pyroscope.http.Format;
import io.pyroscope.javaagent.EventType;
import java.util.Map;

/** Turns helloworld's configuration into the agent's, in one place. */
final class AgentConfig {

    /** Pyroscope's recommended starting points: low overhead, still a useful picture. */
    static final String ALLOC_THRESHOLD = "512k";

    private AgentConfig() {}

    /**
     * The profile labels that carry the resource's {@code service.version} and
     * {@code deployment.environment.name}. With underscores, not dots: Pyroscope before 1.7 refused a
     * profile whose label name had a dot (Prometheus' legacy name rule), and later versions
     * rewrite each dot to an underscore ({@code validation.SanitizeLegacyLabelName}), so a label
     * sent as {@code service.version} is stored, and queried, as {@code service_version} anyway.
     */
    static final String VERSION_LABEL = "service_version";
    static final String ENVIRONMENT_LABEL = "service_environment";

    static io.pyroscope.javaagent.config.Config from(Config config) {
        ServiceIdentity identity = ServiceIdentity.of(config);
        String token = identity.token().value();
        return new io.pyroscope.javaagent.config.Config.Builder()
                // Core checked it as Pyroscope checks an application name: it arrives as written.
                .setApplicationName(identity.name().value())
                // The agent appends "ingest" as a path segment, so a prefix such as
                // http://host:4318/pyroscope uploads to /pyroscope/ingest as it should.
                .setServerAddress(config.get(Keys.PROFILING_ENDPOINT).toString())
                // itimer needs no perf_events, which containers usually forbid.
                .setProfilingEvent(EventType.ITIMER)
                .setFormat(Format.JFR)
                .setProfilingAlloc(config.get(Keys.ENABLE_MEMORY_PROFILING) ? ALLOC_THRESHOLD : "")
                // In nanoseconds: async-profiler reads a trailing "m" as milli, where ours means minutes.
                .setProfilingLock(config.get(ProfilingKeys.LOCK_INTERVAL).map(d -> String.valueOf(d.toNanos())).orElse(""))
                .setUploadInterval(config.get(ProfilingKeys.UPLOAD_INTERVAL))
                // The same values as the resource's service.version and deployment.environment.name.
                .setLabels(Map.of(
                        VERSION_LABEL, identity.version().value(),
                        ENVIRONMENT_LABEL, identity.environment().value()))
                // Both, so that both kinds of receiver accept it: BlueKing's reads X-BK-TOKEN (as
                // the original Python service sends it), Pyroscope and the Java and Go versions
                // use a bearer token. Headers rather than the agent's deprecated setAuthToken.
                .addHTTPHeader("X-BK-TOKEN", token)
                .addHTTPHeader("Authorization", "Bearer " + token)
                .build();
    }
}
