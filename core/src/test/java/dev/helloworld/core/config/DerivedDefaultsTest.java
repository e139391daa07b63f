package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Defaults computed from other keys, and how their {@link Origin} reads. */
class DerivedDefaultsTest {

    private static final List<ConfigKey<Boolean>> SIGNALS =
            List.of(Keys.ENABLE_TRACES, Keys.ENABLE_METRICS, Keys.ENABLE_LOGS, Keys.ENABLE_PROFILING);

    @ParameterizedTest(name = "debug from {0}={1}: every signal is {2}")
    @CsvSource({
        "flag, true, true",
        "flag, false, false",
        "env, 1, true",
        "env, off, false",
        "none, '', false",
    })
    void everySignalFollowsDebugUnlessSetOnItsOwn(String source, String raw, boolean expected) throws ConfigException {
        Config config = switch (source) {
            case "flag" -> Config.resolve(Keys.ALL, Map.of("debug", raw), Map.of());
            case "env" -> Config.resolve(Keys.ALL, Map.of(), Map.of("DEBUG", raw));
            default -> Config.resolve(Keys.ALL, Map.of(), Map.of());
        };
        for (ConfigKey<Boolean> signal : SIGNALS) {
            assertEquals(expected, config.get(signal), () -> signal + " with debug from " + source + " = " + raw);
            assertEquals(new Origin(Origin.Kind.DEFAULT, "same as --debug"), config.origin(signal));
            assertEquals("default (same as --debug)", config.origin(signal).toString());
        }
    }

    @Test
    void aSignalSetOnItsOwnOverridesDebug() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of("debug", "true"), Map.of("ENABLE_TRACES", "false"));
        assertEquals(false, config.get(Keys.ENABLE_TRACES));
        assertEquals("env ENABLE_TRACES", config.origin(Keys.ENABLE_TRACES).toString());
        assertEquals(true, config.get(Keys.ENABLE_METRICS));
        assertEquals(true, config.get(Keys.ENABLE_LOGS));
        assertEquals(true, config.get(Keys.ENABLE_PROFILING));
    }

    @Test
    void memoryProfilingDoesNotFollowDebug() throws ConfigException {
        assertEquals(true, Config.resolve(Keys.ALL, Map.of("debug", "false"), Map.of()).get(Keys.ENABLE_MEMORY_PROFILING));
        assertEquals(true, Config.resolve(Keys.ALL, Map.of("debug", "true"), Map.of()).get(Keys.ENABLE_MEMORY_PROFILING));
    }

    @ParameterizedTest(name = "exporter {1} from {0}: endpoint {2}")
    @CsvSource({
        "flag, http, http://localhost:4318",
        "flag, grpc, http://localhost:4317",
        "flag, console, http://localhost:4317",
        "flag, none, http://localhost:4317",
        "OTLP_EXPORTER_TYPE, http, http://localhost:4318",
        "OTLP_EXPORTER_TYPE, grpc, http://localhost:4317",
        "OTEL_EXPORTER_OTLP_PROTOCOL, http/protobuf, http://localhost:4318",
        "OTEL_EXPORTER_OTLP_PROTOCOL, grpc, http://localhost:4317",
        "default, '', http://localhost:4317",
    })
    void theEndpointDefaultsToThePortOfTheExporterWhereverTheExporterCameFrom(String source, String exporter,
            URI expected) throws ConfigException {
        Config config = switch (source) {
            case "flag" -> Config.resolve(Keys.ALL, Map.of("otlp.exporter", exporter), Map.of());
            case "default" -> Config.resolve(Keys.ALL, Map.of(), Map.of());
            default -> Config.resolve(Keys.ALL, Map.of(), Map.of(source, exporter));
        };
        assertEquals(expected, config.get(Keys.ENDPOINT));
        assertEquals(new Origin(Origin.Kind.DEFAULT, "http://localhost:4317, or :4318 with --exporter http"),
                config.origin(Keys.ENDPOINT));
    }

    @Test
    void anEndpointThatIsSetIsKeptWhateverTheExporter() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of("otlp.exporter", "http"),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317"));
        assertEquals(URI.create("http://collector:4317"), config.get(Keys.ENDPOINT));
        assertEquals("env OTEL_EXPORTER_OTLP_ENDPOINT", config.origin(Keys.ENDPOINT).toString());
    }

    @Test
    void aDerivedDefaultWorksWhateverOrderTheKeysAreListedIn() throws ConfigException {
        List<ConfigKey<?>> reversed = new java.util.ArrayList<>(Keys.ALL);
        java.util.Collections.reverse(reversed);
        Config config = Config.resolve(reversed, Map.of("otlp.exporter", "http", "debug", "on"), Map.of());
        assertEquals(URI.create("http://localhost:4318"), config.get(Keys.ENDPOINT));
        assertEquals(true, config.get(Keys.ENABLE_TRACES));
        assertEquals(reversed, config.keys());
    }

    @Test
    void originsReadAsLauncherConfigShowsThem() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of("http.port", "9090"),
                Map.of("HTTP_ADDRESS", "127.0.0.1", "OTEL_SERVICE_NAME", "cart"));
        assertEquals("flag --http-port", config.origin(Keys.HTTP_PORT).toString());
        assertEquals("env HTTP_ADDRESS", config.origin(Keys.HTTP_ADDRESS).toString());
        assertEquals("env OTEL_SERVICE_NAME", config.origin(Keys.SERVICE_NAME).toString());
        assertEquals("default", config.origin(Keys.SHUTDOWN_TIMEOUT).toString());
        assertEquals(new Origin(Origin.Kind.DEFAULT, ""), config.origin(Keys.PROFILING_ENDPOINT));
    }

    @Test
    void theTokensDefaultOriginDoesNotRepeatTheToken() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of());
        assertEquals(new Origin(Origin.Kind.DEFAULT, ""), config.origin(Keys.TOKEN));
        assertEquals("to****", Keys.TOKEN.defaultDescription());
    }

    @Test
    void displayMasksTheTokenWhereverItCameFromAndShowsOtherValuesWhole() throws ConfigException {
        assertEquals("to****", Config.resolve(Keys.ALL, Map.of(), Map.of()).display(Keys.TOKEN));
        assertEquals("s3****", Config.resolve(Keys.ALL, Map.of("token", "s3cret-token"), Map.of()).display(Keys.TOKEN));
        assertEquals("ab****", Config.resolve(Keys.ALL, Map.of(), Map.of("TOKEN", "abcdef")).display(Keys.TOKEN));
        Config config = Config.resolve(Keys.ALL, Map.of("shutdown.timeout", "60s"), Map.of());
        assertEquals("1m", config.display(Keys.SHUTDOWN_TIMEOUT));
        assertEquals("http://localhost:4317", config.display(Keys.ENDPOINT));
    }

    @Test
    void ofTakesDefaultsAndFlagsButNotTheEnvironment() throws ConfigException {
        Config config = Config.of(Keys.ALL, Map.of("http.port", "0"));
        assertEquals(0, config.get(Keys.HTTP_PORT));
        assertEquals(Origin.Kind.DEFAULT, config.origin(Keys.SERVICE_NAME).kind());
    }
}
