package dev.helloworld.profiling;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.Keys;
import io.pyroscope.http.Format;
import io.pyroscope.javaagent.EventType;
import java.util.Map;

/** Turns helloworld's configuration into the agent's, in one place. */
final class AgentConfig {

    /** Pyroscope's recommended starting points: low overhead, still a useful picture. */
    static final String ALLOC_THRESHOLD = "512k";
    static final String LOCK_THRESHOLD = "10ms";

    private AgentConfig() {}

    static io.pyroscope.javaagent.config.Config from(Config config) {
        String token = config.get(Keys.TOKEN);
        return new io.pyroscope.javaagent.config.Config.Builder()
                .setApplicationName(config.get(Keys.SERVICE_NAME))
                // The agent appends "ingest" as a path segment, so a prefix such as
                // http://host:4318/pyroscope uploads to /pyroscope/ingest as it should.
                .setServerAddress(config.get(Keys.PROFILING_ENDPOINT).toString())
                // itimer needs no perf_events, which containers usually forbid.
                .setProfilingEvent(EventType.ITIMER)
                .setFormat(Format.JFR)
                .setProfilingAlloc(config.get(Keys.ENABLE_MEMORY_PROFILING) ? ALLOC_THRESHOLD : "")
                .setProfilingLock(LOCK_THRESHOLD)
                .setUploadInterval(config.get(ProfilingKeys.UPLOAD_INTERVAL))
                // The same values as the resource's service.version and deployment.environment.name.
                .setLabels(Map.of(
                        "service.version", config.get(Keys.SERVICE_VERSION),
                        "service.environment", config.get(Keys.DEPLOYMENT_ENVIRONMENT)))
                // Both, so that both kinds of receiver accept it: BlueKing's reads X-BK-TOKEN (as
                // the original Python service sends it), Pyroscope and the Java and Go versions
                // use a bearer token. Headers rather than the agent's deprecated setAuthToken.
                .addHTTPHeader("X-BK-TOKEN", token)
                .addHTTPHeader("Authorization", "Bearer " + token)
                .build();
    }
}
