package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every key of {@link Keys#ALL} read from each of its sources, and which source wins. */
class ConfigSourcesTest {

    /** The version this build stamps on core's module (Maven's project version), which telemetry carries. */
    private static final String BUILD_VERSION = ConfigSourcesTest.class.getModule().getDescriptor() == null
            ? "unknown" : ConfigSourcesTest.class.getModule().getDescriptor().rawVersion().orElse("unknown");

    /** For each key: a raw value unlike its default, and how the key writes it back. */
    private static final Map<ConfigKey<?>, Sample> SAMPLES = Map.ofEntries(
            Map.entry(Keys.DEBUG, new Sample("yes", "true")),
            Map.entry(Keys.TOKEN, new Sample("s3cret-token", "s3cret-token")),
            Map.entry(Keys.SERVICE_NAME, new Sample(" checkout ", "checkout")),
            Map.entry(Keys.SERVICE_VERSION, new Sample("2.4.1", "2.4.1")),
            Map.entry(Keys.DEPLOYMENT_ENVIRONMENT, new Sample(" staging ", "staging")),
            Map.entry(Keys.EXPORTER, new Sample("HTTP", "http")),
            Map.entry(Keys.ENDPOINT, new Sample("https://collector.example:4318", "https://collector.example:4318")),
            Map.entry(Keys.ENABLE_TRACES, new Sample("on", "true")),
            Map.entry(Keys.ENABLE_METRICS, new Sample("1", "true")),
            Map.entry(Keys.ENABLE_LOGS, new Sample("TRUE", "true")),
            Map.entry(Keys.ENABLE_PROFILING, new Sample("Yes", "true")),
            Map.entry(Keys.ENABLE_MEMORY_PROFILING, new Sample("off", "false")),
            Map.entry(Keys.PROFILING_ENDPOINT, new Sample("https://pyroscope.example/pyroscope", "https://pyroscope.example/pyroscope")),
            Map.entry(Keys.HTTP_ADDRESS, new Sample("127.0.0.1", "127.0.0.1")),
            Map.entry(Keys.HTTP_PORT, new Sample("9090", "9090")),
            Map.entry(Keys.SHUTDOWN_TIMEOUT, new Sample("1500ms", "1500ms")));

    /** The defaults of the original service (issue 3's table), as the keys write them. */
    private static final Map<ConfigKey<?>, String> DEFAULTS = Map.ofEntries(
            Map.entry(Keys.DEBUG, "false"),
            Map.entry(Keys.TOKEN, "todo"),
            Map.entry(Keys.SERVICE_NAME, "helloworld"),
            Map.entry(Keys.SERVICE_VERSION, BUILD_VERSION),
            Map.entry(Keys.DEPLOYMENT_ENVIRONMENT, "dev"),
            Map.entry(Keys.EXPORTER, "grpc"),
            Map.entry(Keys.ENDPOINT, "http://localhost:4317"),
            Map.entry(Keys.ENABLE_TRACES, "false"),
            Map.entry(Keys.ENABLE_METRICS, "false"),
            Map.entry(Keys.ENABLE_LOGS, "false"),
            Map.entry(Keys.ENABLE_PROFILING, "false"),
            Map.entry(Keys.ENABLE_MEMORY_PROFILING, "true"),
            Map.entry(Keys.PROFILING_ENDPOINT, "http://localhost:4040"),
            Map.entry(Keys.HTTP_ADDRESS, "0.0.0.0"),
            Map.entry(Keys.HTTP_PORT, "8080"),
            Map.entry(Keys.SHUTDOWN_TIMEOUT, "10s"));

    /**
     * The standard variables and system properties that stand in for a key, with a raw value and
     * how the key writes it.
     */
    private static final List<OtelFallback> FALLBACKS = List.of(
            new OtelFallback(Keys.SERVICE_NAME, "OTEL_SERVICE_NAME", "cart", "cart"),
            new OtelFallback(Keys.SERVICE_NAME, "-Dotel.service.name", "cart", "cart"),
            new OtelFallback(Keys.SERVICE_NAME, "OTEL_RESOURCE_ATTRIBUTES", "team=a,service.name=cart", "cart"),
            new OtelFallback(Keys.SERVICE_NAME, "-Dotel.resource.attributes", "service.name=cart", "cart"),
            new OtelFallback(Keys.EXPORTER, "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "http"),
            new OtelFallback(Keys.EXPORTER, "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "grpc"),
            new OtelFallback(Keys.ENDPOINT, "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317", "http://otel-collector:4317"),
            new OtelFallback(Keys.SERVICE_VERSION, "OTEL_RESOURCE_ATTRIBUTES", "team=a,service.version=3.0.0-rc%2B1", "3.0.0-rc+1"),
            new OtelFallback(Keys.SERVICE_VERSION, "-Dotel.resource.attributes", "service.version=3.0.0-rc+1", "3.0.0-rc+1"),
            new OtelFallback(Keys.DEPLOYMENT_ENVIRONMENT, "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod", "prod"),
            new OtelFallback(Keys.DEPLOYMENT_ENVIRONMENT, "-Dotel.resource.attributes", "deployment.environment.name=prod", "prod"),
            new OtelFallback(Keys.TOKEN, "OTEL_RESOURCE_ATTRIBUTES", "bk.data.token=res%2Ftoken", "res/token"),
            new OtelFallback(Keys.TOKEN, "-Dotel.resource.attributes", "bk.data.token=res-token", "res-token"),
            new OtelFallback(Keys.TOKEN, "OTEL_EXPORTER_OTLP_HEADERS", "tenant=a,X-BK-Token=hdr-token", "hdr-token"),
            new OtelFallback(Keys.TOKEN, "-Dotel.exporter.otlp.headers", "x-bk-token=hdr-token", "hdr-token"),
            new OtelFallback(Keys.TOKEN, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-bk-token=a%2Bb", "a+b"),
            new OtelFallback(Keys.TOKEN, "-Dotel.exporter.otlp.traces.headers", "x-bk-token=t", "t"),
            new OtelFallback(Keys.TOKEN, "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-bk-token=m", "m"),
            new OtelFallback(Keys.TOKEN, "-Dotel.exporter.otlp.metrics.headers", "x-bk-token=m", "m"),
            new OtelFallback(Keys.TOKEN, "OTEL_EXPORTER_OTLP_LOGS_HEADERS", "x-bk-token=l", "l"),
            new OtelFallback(Keys.TOKEN, "-Dotel.exporter.otlp.logs.headers", "x-bk-token=l", "l"),
            // Naming an exporter turns the signal on; which exporters exist is plugin-otlp's to check.
            new OtelFallback(Keys.ENABLE_TRACES, "OTEL_TRACES_EXPORTER", "otlp", "true"),
            new OtelFallback(Keys.ENABLE_METRICS, "OTEL_METRICS_EXPORTER", "console,otlp", "true"),
            new OtelFallback(Keys.ENABLE_LOGS, "OTEL_LOGS_EXPORTER", "logging", "true"));

    private record Sample(String raw, String written) {}

    /** {@code source} as {@link ConfigKey.Fallback#source()} writes it: a variable, or {@code -Dname}. */
    private record OtelFallback(ConfigKey<?> key, String source, String raw, String written) {
        @Override
        public String toString() {
            return source + "=" + raw;
        }

        boolean property() {
            return source.startsWith("-D");
        }

        Origin origin() {
            return new Origin(property() ? Origin.Kind.PROPERTY : Origin.Kind.ENV, source);
        }

        /** Resolves with this fallback set to {@code value}, besides {@code env}. */
        Config resolve(Map<String, String> flags, Map<String, String> env, String value) throws ConfigException {
            Map<String, String> vars = new java.util.HashMap<>(env);
            Map<String, String> properties = new java.util.HashMap<>();
            (property() ? properties : vars).put(property() ? source.substring(2) : source, value);
            return Config.resolve(Keys.ALL, flags, vars, properties);
        }
    }

    static Stream<ConfigKey<?>> allKeys() {
        return Keys.ALL.stream();
    }

    static Stream<OtelFallback> otelFallbacks() {
        return FALLBACKS.stream();
    }

    @Test
    void theTablesOfThisTestCoverEveryKeyAndEveryFallback() {
        assertEquals(names(Keys.ALL), names(SAMPLES.keySet()), "keys with a sample value");
        assertEquals(names(Keys.ALL), names(DEFAULTS.keySet()), "keys with an expected default");
        Set<String> declared = Keys.ALL.stream()
                .flatMap(k -> k.fallbacks().stream().map(f -> k.name() + " <- " + f.source()))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> tested = FALLBACKS.stream().map(f -> f.key().name() + " <- " + f.source())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, tested, "OTEL_* fallbacks");
    }

    /** OTEL_TRACES_EXPORTER=none says where traces would go, not that they are off: the default applies. */
    @Test
    void anExporterVariableOfNoneLeavesTheSignalToItsDefault() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of("OTEL_TRACES_EXPORTER", "none", "DEBUG", "true"));
        assertEquals(true, config.get(Keys.ENABLE_TRACES));
        assertEquals(Origin.Kind.DEFAULT, config.origin(Keys.ENABLE_TRACES).kind());
    }

    @Test
    void everyKeyHasItsOwnVariableAndADistinctFlag() {
        for (ConfigKey<?> key : Keys.ALL) {
            assertTrue(key.env().isPresent(), () -> key + " has no environment variable");
        }
        assertEquals(Keys.ALL.size(), Keys.ALL.stream().map(ConfigKey::flag).distinct().count(), "distinct flags");
    }

    @ParameterizedTest(name = "{0} defaults to the original''s value")
    @MethodSource("allKeys")
    void withNothingSetEveryKeyHasTheOriginalsDefault(ConfigKey<?> key) throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of());
        assertEquals(DEFAULTS.get(key), written(config, key));
        assertEquals(Origin.Kind.DEFAULT, config.origin(key).kind(), () -> "origin of " + key);
    }

    @ParameterizedTest(name = "{0} from its flag")
    @MethodSource("allKeys")
    void everyKeyIsReadFromItsFlag(ConfigKey<?> key) throws ConfigException {
        Sample sample = SAMPLES.get(key);
        Config config = Config.resolve(Keys.ALL, Map.of(key.name(), sample.raw()), Map.of());
        assertEquals(sample.written(), written(config, key));
        assertEquals(new Origin(Origin.Kind.FLAG, key.flag()), config.origin(key));
    }

    @ParameterizedTest(name = "{0} from its own variable")
    @MethodSource("allKeys")
    void everyKeyIsReadFromItsOwnVariable(ConfigKey<?> key) throws ConfigException {
        Sample sample = SAMPLES.get(key);
        String var = key.env().orElseThrow();
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of(var, sample.raw()));
        assertEquals(sample.written(), written(config, key));
        assertEquals(new Origin(Origin.Kind.ENV, var), config.origin(key));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otelFallbacks")
    void aStandardOtelVariableStandsInForTheKey(OtelFallback fallback) throws ConfigException {
        Config config = fallback.resolve(Map.of(), Map.of(), fallback.raw());
        assertEquals(fallback.written(), written(config, fallback.key()));
        assertEquals(fallback.origin(), config.origin(fallback.key()));
    }

    @ParameterizedTest(name = "{0}: flag beats own variable beats OTEL_* beats default")
    @MethodSource("otelFallbacks")
    void precedenceIsFlagThenOwnVariableThenOtelVariableThenDefault(OtelFallback fallback) throws ConfigException {
        ConfigKey<?> key = fallback.key();
        assumeFalse(key.conflictsAreErrors(), "the identity's keys refuse two different values instead");
        String var = key.env().orElseThrow();
        String flagValue = flagValueFor(key);
        String ownValue = SAMPLES.get(key).raw();

        Config all = fallback.resolve(Map.of(key.name(), flagValue), Map.of(var, ownValue), fallback.raw());
        assertEquals(new Origin(Origin.Kind.FLAG, key.flag()), all.origin(key));
        assertEquals(written(key, flagValue), written(all, key));

        Config envs = fallback.resolve(Map.of(), Map.of(var, ownValue), fallback.raw());
        assertEquals(new Origin(Origin.Kind.ENV, var), envs.origin(key));
        assertEquals(SAMPLES.get(key).written(), written(envs, key));

        Config otel = fallback.resolve(Map.of(), Map.of(), fallback.raw());
        assertEquals(fallback.origin(), otel.origin(key));
    }

    @ParameterizedTest(name = "{0}: flag beats own variable")
    @MethodSource("allKeys")
    void aFlagBeatsTheKeysOwnVariable(ConfigKey<?> key) throws ConfigException {
        assumeFalse(key.conflictsAreErrors(), "the identity's keys refuse two different values instead");
        String flagValue = flagValueFor(key);
        Config config = Config.resolve(Keys.ALL, Map.of(key.name(), flagValue),
                Map.of(key.env().orElseThrow(), SAMPLES.get(key).raw()));
        assertEquals(written(key, flagValue), written(config, key));
        assertEquals(Origin.Kind.FLAG, config.origin(key).kind());
    }

    @Test
    void aBadValueOfAStrongerSourceIsAnErrorNotASilentFallThrough() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(Keys.ALL, Map.of(), Map.of("OTLP_ENDPOINT", "x", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317")));
        assertEquals("invalid value 'x' for OTLP_ENDPOINT: expected an http:// or https:// URL with a host, "
                + "such as http://localhost:4317", e.getMessage());
    }

    @ParameterizedTest(name = "{0}= is as if unset")
    @MethodSource("allKeys")
    void anEmptyOwnVariableIsAsIfUnset(ConfigKey<?> key) throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of(key.env().orElseThrow(), ""));
        assertEquals(DEFAULTS.get(key), written(config, key));
        assertEquals(Origin.Kind.DEFAULT, config.origin(key).kind(), () -> "origin of " + key);
    }

    @ParameterizedTest(name = "{0}, set but empty, gives way to the next source")
    @MethodSource("otelFallbacks")
    void anEmptyStandardVariableIsAsIfUnsetAsTheSpecificationSays(OtelFallback fallback) throws ConfigException {
        ConfigKey<?> key = fallback.key();
        Config alone = fallback.resolve(Map.of(), Map.of(), "");
        assertEquals(DEFAULTS.get(key), written(alone, key));
        assertEquals(Origin.Kind.DEFAULT, alone.origin(key).kind());

        Config behindEmptyOwn = fallback.resolve(Map.of(), Map.of(key.env().orElseThrow(), ""), fallback.raw());
        assertEquals(fallback.written(), written(behindEmptyOwn, key));
        assertEquals(fallback.origin(), behindEmptyOwn.origin(key));
    }

    @Test
    void aBlankVariableIsStillAValueAndAnErrorWhereBlankIsNotAllowed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(Keys.ALL, Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")));
        assertEquals("invalid value ' ' for OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL with "
                + "a host, such as http://localhost:4317", e.getMessage());
    }

    @Test
    void theDefaultVersionIsTheBuildsAsMavenStampsIt() {
        assertTrue(BUILD_VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), () -> "a Maven version, got " + BUILD_VERSION);
    }

    @Test
    void resourceAttributesWithoutTheAttributeLeaveTheDefault() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=a,service.namespace=shop"));
        assertEquals("dev", config.get(Keys.DEPLOYMENT_ENVIRONMENT));
        assertEquals(Origin.Kind.DEFAULT, config.origin(Keys.DEPLOYMENT_ENVIRONMENT).kind());
        assertEquals(Origin.Kind.DEFAULT, config.origin(Keys.SERVICE_VERSION).kind());
    }

    @Test
    void aResourceAttributeThatAProfileLabelCannotCarryIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve(Keys.ALL, Map.of(),
                Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=eu%20west")));
        assertEquals("invalid value 'eu west' for OTEL_RESOURCE_ATTRIBUTES: expected a non-empty value without "
                + "spaces, braces, commas or '='", e.getMessage());
    }

    @Test
    void theKeysAreKeptInDeclarationOrder() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of());
        assertEquals(Keys.ALL, config.keys());
    }

    /** A value that differs both from the default and from the sample, so that the winner is visible. */
    private static String flagValueFor(ConfigKey<?> key) {
        return switch (key.name()) {
            case "service.name" -> "from-flag";
            case "otlp.exporter" -> "console";
            case "otlp.endpoint" -> "http://flag.example:4317";
            case "token" -> "flag-token";
            case "http.port" -> "7070";
            case "http.address" -> "::1";
            case "profiling.endpoint" -> "http://flag.example:4040";
            case "shutdown.timeout" -> "2m";
            case "enable.memory.profiling" -> "no";
            default -> "0"; // the booleans, whose sample is true
        };
    }

    private static <T> String written(Config config, ConfigKey<T> key) {
        return key.type().format(config.get(key));
    }

    private static <T> String written(ConfigKey<T> key, String raw) {
        Parsed<T> parsed = key.type().parse(raw);
        return key.type().format(((Parsed.Value<T>) parsed).value());
    }

    private static Set<String> names(java.util.Collection<ConfigKey<?>> keys) {
        return keys.stream().map(ConfigKey::name).collect(Collectors.toCollection(TreeSet::new));
    }
}
