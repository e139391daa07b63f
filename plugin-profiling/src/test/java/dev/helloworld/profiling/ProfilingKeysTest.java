package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigError;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfilingKeysTest {

    private static Config resolve(Map<String, String> env) throws ConfigException {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(ProfilingKeys.ALL);
        return Config.resolve(keys, Map.of(), env);
    }

    @Test
    void defaultsToTenSecondsAndTheJvmsTmpDir() throws Exception {
        Config config = resolve(Map.of());
        assertEquals(Duration.ofSeconds(10), config.get(ProfilingKeys.UPLOAD_INTERVAL));
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), config.get(ProfilingKeys.TMP_DIR));
    }

    @Test
    void readsTheTmpDirFromPyroscopesVariable() throws Exception {
        assertEquals(Path.of("/var/lib/helloworld"),
                resolve(Map.of("PYROSCOPE_TMP_DIR", "/var/lib/helloworld")).get(ProfilingKeys.TMP_DIR));
        assertEquals("--profiling-tmp-dir", ProfilingKeys.TMP_DIR.flag());
    }

    @Test
    void profilesLocksEveryTenMillisecondsOfWaitingUnlessToldOtherwise() throws Exception {
        assertEquals("10000000", AgentConfig.from(resolve(Map.of())).profilingLock);
        assertEquals("100000000", AgentConfig.from(resolve(Map.of("PYROSCOPE_PROFILER_LOCK", "100ms"))).profilingLock);
        // A minute, not async-profiler's "m" for milli: the agent gets nanoseconds.
        assertEquals("60000000000", AgentConfig.from(resolve(Map.of("PYROSCOPE_PROFILER_LOCK", "1m"))).profilingLock);
        assertEquals("", AgentConfig.from(resolve(Map.of("PYROSCOPE_PROFILER_LOCK", "off"))).profilingLock);
        assertEquals("--profiling-lock", ProfilingKeys.LOCK_INTERVAL.flag());
    }

    @Test
    void aLockIntervalOfZeroIsOffWrittenBareAndRefusedWithAUnit() throws Exception {
        // async-profiler would take lock=0 for every contended lock, a sample per wait: never asked for by accident.
        assertEquals("", AgentConfig.from(resolve(Map.of("PYROSCOPE_PROFILER_LOCK", "0"))).profilingLock);
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of("PYROSCOPE_PROFILER_LOCK", "0ms")));
        assertEquals(List.of("invalid value '0ms' for PYROSCOPE_PROFILER_LOCK: expected a positive duration such as 10ms or 100ms, or off"),
                e.errors().stream().map(ConfigError::message).toList());
    }

    /** Profile labels take core's version and environment, which the OTLP resource carries too. */
    @Test
    void profileLabelsAreTheVersionAndEnvironmentOfEverySignal() throws Exception {
        Config config = resolve(Map.of("SERVICE_VERSION", "4.5.6", "DEPLOYMENT_ENVIRONMENT", "prod"));
        assertEquals(Map.of("service_version", "4.5.6", "service_environment", "prod"),
                AgentConfig.from(config).labels);
    }

    @Test
    void reportsEveryBadValueWithWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(Map.of(
                "PROFILING_UPLOAD_INTERVAL", "500ms",
                "SERVICE_VERSION", "1.0 beta",
                "DEPLOYMENT_ENVIRONMENT", "prod,eu",
                "PYROSCOPE_TMP_DIR", " ",
                "PYROSCOPE_PROFILER_LOCK", "10")));
        assertEquals(List.of(
                "invalid value '1.0 beta' for SERVICE_VERSION: expected a non-empty value without spaces, braces, commas or '='",
                "invalid value 'prod,eu' for DEPLOYMENT_ENVIRONMENT: expected a non-empty value without spaces, braces, commas or '='",
                "invalid value '500ms' for PROFILING_UPLOAD_INTERVAL: expected a duration of at least 1s, such as 10s or 1m",
                "invalid value ' ' for PYROSCOPE_TMP_DIR: expected a folder path",
                "invalid value '10' for PYROSCOPE_PROFILER_LOCK: expected a positive duration such as 10ms or 100ms, or off"),
                e.errors().stream().map(ConfigError::message).toList());
    }
}
