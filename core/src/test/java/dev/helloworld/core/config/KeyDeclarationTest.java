package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keys that plugins declare: resolved with the core ones, and refused when they clash. */
class KeyDeclarationTest {

    private static final ConfigKey<Double> SAMPLE_RATE = ConfigKey.builder("sample.rate", ValueType.decimal("<ratio>", 0, 1))
            .env("SAMPLE_RATE")
            .defaultValue(0.25)
            .description("a plugin's own key")
            .build();

    private static final ConfigKey<Boolean> VERBOSE = ConfigKey.builder("sample.verbose", ValueType.bool())
            .flag("--verbose")
            .defaultValue(c -> c.get(Keys.DEBUG), "same as --debug")
            .description("a plugin's key whose default is a core key")
            .build();

    @Test
    void aPluginKeyIsReadFromEachSourceLikeACoreKey() throws ConfigException {
        List<ConfigKey<?>> keys = withCore(SAMPLE_RATE, VERBOSE);

        Config defaults = Config.resolve(keys, Map.of(), Map.of());
        assertEquals(0.25, defaults.get(SAMPLE_RATE));
        assertEquals("default", defaults.origin(SAMPLE_RATE).toString());

        Config env = Config.resolve(keys, Map.of(), Map.of("SAMPLE_RATE", "0.5"));
        assertEquals(0.5, env.get(SAMPLE_RATE));
        assertEquals("env SAMPLE_RATE", env.origin(SAMPLE_RATE).toString());

        Config flag = Config.resolve(keys, Map.of("sample.rate", "1"), Map.of("SAMPLE_RATE", "0.5"));
        assertEquals(1.0, flag.get(SAMPLE_RATE));
        assertEquals("flag --sample-rate", flag.origin(SAMPLE_RATE).toString());
        assertEquals(keys, flag.keys());
    }

    @Test
    void aPluginKeysDefaultMayDependOnACoreKey() throws ConfigException {
        List<ConfigKey<?>> keys = withCore(VERBOSE);
        assertEquals(true, Config.resolve(keys, Map.of(), Map.of("DEBUG", "yes")).get(VERBOSE));
        assertEquals(false, Config.resolve(keys, Map.of(), Map.of()).get(VERBOSE));
        assertEquals(true, Config.resolve(keys, Map.of("sample.verbose", "on"), Map.of()).get(VERBOSE));
        assertEquals("flag --verbose", Config.resolve(keys, Map.of("sample.verbose", "on"), Map.of())
                .origin(VERBOSE).toString());
    }

    @Test
    void aDefaultThatNeedsAKeyNobodyDeclaredIsAProgrammingError() {
        List<ConfigKey<?>> keys = List.of(VERBOSE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(keys, Map.of(), Map.of()));
        assertEquals("a default refers to the undeclared key 'debug'", e.getMessage());
    }

    @Test
    void aPluginKeysErrorsAreReportedWithTheCoreOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve(withCore(SAMPLE_RATE),
                Map.of("http.port", "abc"), Map.of("SAMPLE_RATE", "1.5")));
        assertEquals("invalid value 'abc' for --http-port: expected a port from 1 to 65535, or 0 for any free port\n"
                + "invalid value '1.5' for SAMPLE_RATE: expected a number from 0 to 1", e.getMessage());
    }

    @Test
    void aConfigWithoutAPluginsKeySaysSoWhenAskedForIt() throws ConfigException {
        Config config = Config.resolve(Keys.ALL, Map.of(), Map.of());
        assertFalse(config.has(SAMPLE_RATE));
        assertTrue(config.has(Keys.DEBUG));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config.get(SAMPLE_RATE));
        assertEquals("no configuration key 'sample.rate': is the plugin that declares it on the module path?",
                e.getMessage());
    }

    @Test
    void twoKeysWithTheSameNameAreRefused() {
        ConfigKey<String> clash = key("http.port").env("OTHER_PORT").flag("--other-port").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(withCore(clash), Map.of(), Map.of()));
        assertEquals("configuration keys 'http.port' and 'http.port' both use 'http.port'", e.getMessage());
    }

    @Test
    void twoKeysWithTheSameFlagAreRefused() {
        ConfigKey<String> clash = key("sample.port").flag("--http-port").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(withCore(clash), Map.of(), Map.of()));
        assertEquals("configuration keys 'http.port' and 'sample.port' both use '--http-port'", e.getMessage());
    }

    @Test
    void aDerivedFlagThatClashesIsRefusedToo() {
        // A plugin key named "exporter" derives --exporter, which otlp.exporter sets explicitly.
        ConfigKey<String> clash = key("exporter").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(withCore(clash), Map.of(), Map.of()));
        assertEquals("configuration keys 'otlp.exporter' and 'exporter' both use '--exporter'", e.getMessage());
    }

    @Test
    void twoKeysWithTheSameVariableAreRefused() {
        ConfigKey<String> clash = key("sample.token").env("TOKEN").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(withCore(clash), Map.of(), Map.of()));
        assertEquals("configuration keys 'token' and 'sample.token' both use 'TOKEN'", e.getMessage());
    }

    @Test
    void keysAreEqualByName() {
        assertEquals(Keys.HTTP_PORT, key("http.port").build());
        assertEquals(Keys.HTTP_PORT.hashCode(), key("http.port").build().hashCode());
        assertEquals("http.port", Keys.HTTP_PORT.toString());
    }

    @Test
    void theFlagIsDerivedFromTheNameUnlessGiven() {
        assertEquals("--enable-memory-profiling", Keys.ENABLE_MEMORY_PROFILING.flag());
        assertEquals("--service-name", Keys.SERVICE_NAME.flag());
        assertEquals("--exporter", Keys.EXPORTER.flag());
        assertTrue(Keys.ENABLE_TRACES.isSwitch());
        assertFalse(Keys.HTTP_PORT.isSwitch());
    }

    @Test
    void aKeyNeedsADefaultAndADescription() {
        NullPointerException noDefault = assertThrows(NullPointerException.class,
                () -> ConfigKey.builder("x.y", ValueType.bool()).description("d").build());
        assertEquals("no default for x.y", noDefault.getMessage());
        NullPointerException noDescription = assertThrows(NullPointerException.class,
                () -> ConfigKey.builder("x.y", ValueType.bool()).defaultValue(true).build());
        assertEquals("no description for x.y", noDescription.getMessage());
    }

    private static ConfigKey.Builder<String> key(String name) {
        return ConfigKey.builder(name, ValueType.text("<t>")).defaultValue("x").description("a clashing key");
    }

    private static List<ConfigKey<?>> withCore(ConfigKey<?>... pluginKeys) {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(List.of(pluginKeys));
        return keys;
    }
}
