package dev.helloworld.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad values: each one line naming its flag or variable, the value and what is allowed; all at once. */
class ConfigErrorsTest {

    private static final String BOOL = "true/false, 1/0, yes/no or on/off";
    private static final String URL = "an http:// or https:// URL with a host, such as http://localhost:4317";
    private static final String DURATION = "a positive duration such as 500ms, 3s, 1m or 1h";

    /**
     * {@code source} is {@code --flag} (given by key name in the flag map) or a variable name. The
     * expected message is spelled out whole: it is what a user reads. An empty flag value is an
     * error; an empty variable is unset (ConfigSourcesTest).
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        --debug                     | ture                  | invalid value 'ture' for --debug: expected true/false, 1/0, yes/no or on/off
        ENABLE_TRACES               | ture                  | invalid value 'ture' for ENABLE_TRACES: expected true/false, 1/0, yes/no or on/off
        --debug                     | ""                    | invalid value '' for --debug: expected true/false, 1/0, yes/no or on/off
        ENABLE_MEMORY_PROFILING     | 2                     | invalid value '2' for ENABLE_MEMORY_PROFILING: expected true/false, 1/0, yes/no or on/off
        --enable-profiling          | enabled               | invalid value 'enabled' for --enable-profiling: expected true/false, 1/0, yes/no or on/off
        --http-port                 | 65536                 | invalid value '65536' for --http-port: expected a port from 1 to 65535, or 0 for any free port
        HTTP_PORT                   | abc                   | invalid value 'abc' for HTTP_PORT: expected a port from 1 to 65535, or 0 for any free port
        HTTP_PORT                   | -1                    | invalid value '-1' for HTTP_PORT: expected a port from 1 to 65535, or 0 for any free port
        --http-port                 | ""                    | invalid value '' for --http-port: expected a port from 1 to 65535, or 0 for any free port
        --endpoint                  | localhost:4317        | invalid value 'localhost:4317' for --endpoint: expected an http:// or https:// URL with a host, such as http://localhost:4317
        OTLP_ENDPOINT               | http:///v1/traces     | invalid value 'http:///v1/traces' for OTLP_ENDPOINT: expected an http:// or https:// URL with a host, such as http://localhost:4317
        OTEL_EXPORTER_OTLP_ENDPOINT | ftp://collector:21    | invalid value 'ftp://collector:21' for OTEL_EXPORTER_OTLP_ENDPOINT: expected an http:// or https:// URL with a host, such as http://localhost:4317
        PROFILING_ENDPOINT          | garbage               | invalid value 'garbage' for PROFILING_ENDPOINT: expected an http:// or https:// URL with a host, such as http://localhost:4317
        --profiling-endpoint        | http://pyroscope:0    | invalid value 'http://pyroscope:0' for --profiling-endpoint: expected an http:// or https:// URL with a host, such as http://localhost:4317
        --endpoint                  | http://collector:65536 | invalid value 'http://collector:65536' for --endpoint: expected an http:// or https:// URL with a host, such as http://localhost:4317
        --shutdown-timeout          | 10                    | invalid value '10' for --shutdown-timeout: expected a positive duration such as 500ms, 3s, 1m or 1h
        SHUTDOWN_TIMEOUT            | 5 s                   | invalid value '5 s' for SHUTDOWN_TIMEOUT: expected a positive duration such as 500ms, 3s, 1m or 1h
        SHUTDOWN_TIMEOUT            | 0s                    | invalid value '0s' for SHUTDOWN_TIMEOUT: expected a positive duration such as 500ms, 3s, 1m or 1h
        --exporter                  | kafka                 | invalid value 'kafka' for --exporter: expected one of grpc, http, console, none
        --exporter                  | ""                    | invalid value '' for --exporter: expected one of grpc, http, console, none
        OTEL_EXPORTER_OTLP_PROTOCOL | http/json             | invalid value 'http/json' for OTEL_EXPORTER_OTLP_PROTOCOL: expected grpc or http/protobuf (http/json is not supported)
        OTEL_EXPORTER_OTLP_PROTOCOL | http                  | invalid value 'http' for OTEL_EXPORTER_OTLP_PROTOCOL: expected grpc or http/protobuf (http/json is not supported)
        SERVICE_NAME                | " "                   | invalid value ' ' for SERVICE_NAME: expected a value that is not only spaces
        OTEL_SERVICE_NAME           | "   "                 | invalid value '   ' for OTEL_SERVICE_NAME: expected a value that is not only spaces
        --service-name              | ""                    | invalid value '' for --service-name: expected a non-empty value
        HTTP_ADDRESS                | local host            | invalid value 'local host' for HTTP_ADDRESS: expected a host name or IP address, such as 0.0.0.0 or 127.0.0.1
        --http-address              | http://0.0.0.0        | invalid value 'http://0.0.0.0' for --http-address: expected a host name or IP address, such as 0.0.0.0 or 127.0.0.1
        --token                     | ""                    | invalid value '' for --token: expected a non-empty value
        --token                     | " "                   | invalid value ' ' for --token: expected a value that is not only spaces
        TOKEN                       | "s3crét"              | invalid value 's3****' for TOKEN: expected printable ASCII characters only, as an HTTP header carries them
        --token                     | "ab\tcd"                | invalid value 'ab****' for --token: expected printable ASCII characters only, as an HTTP header carries them
        """)
    void aBadValueIsOneLineNamingItsSourceTheValueAndWhatIsAllowed(String source, String raw, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(source, raw),
                () -> source + "=" + raw + " was accepted");
        assertEquals(message, e.getMessage());
        assertEquals(1, e.errors().size(), () -> "errors: " + e.errors());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    /**
     * OTLP carries any service name; what Pyroscope refuses as an application name is the
     * profiling plugin's to refuse, when it starts (ApplicationNameTest).
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        OTEL_SERVICE_NAME           | "shop a"              | shop a
        --service-name              | "shop}{x=1,y"          | shop}{x=1,y
        SERVICE_NAME                | " 商店 "               | 商店
        """)
    void aServiceNameThatPyroscopeRefusesIsStillAServiceName(String source, String raw, String resolved)
            throws ConfigException {
        assertEquals(resolved, resolve(source, raw).get(Keys.SERVICE_NAME));
    }

    @Test
    void everyBadValueOfOneResolutionIsReportedTogetherInKeyOrder() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve(Keys.ALL,
                Map.of("http.port", "65536", "debug", "ture"),
                Map.of("OTLP_EXPORTER_TYPE", "kafka", "PROFILING_ENDPOINT", "ftp://x", "SHUTDOWN_TIMEOUT", "10",
                        "ENABLE_LOGS", "maybe")));
        List<ConfigError> expected = List.of(
                new ConfigError("--debug", "ture", BOOL),
                new ConfigError("OTLP_EXPORTER_TYPE", "kafka", "one of grpc, http, console, none"),
                new ConfigError("ENABLE_LOGS", "maybe", BOOL),
                new ConfigError("PROFILING_ENDPOINT", "ftp://x", URL),
                new ConfigError("--http-port", "65536", "a port from 1 to 65535, or 0 for any free port"),
                new ConfigError("SHUTDOWN_TIMEOUT", "10", DURATION));
        assertEquals(expected, e.errors());
        assertEquals(String.join("\n", expected.stream().map(ConfigError::message).toList()), e.getMessage());
    }

    @Test
    void aDefaultDerivedFromABadValueAddsNoErrorOfItsOwn() {
        // The endpoint's default needs the exporter, the signals' need debug: one mistake, one line each.
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve(Keys.ALL,
                Map.of("otlp.exporter", "kafka"), Map.of("DEBUG", "ture")));
        assertEquals(List.of(
                new ConfigError("DEBUG", "ture", BOOL),
                new ConfigError("--exporter", "kafka", "one of grpc, http, console, none")), e.errors());
    }

    @Test
    void aBadSecretIsMaskedInItsMessage() {
        ConfigKey<Integer> pin = ConfigKey.builder("vault.pin", ValueType.integer("<pin>", 0, 9999))
                .env("VAULT_PIN")
                .secret()
                .defaultValue(1234)
                .description("a secret of a plugin")
                .build();
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(Keys.ALL);
        keys.add(pin);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(keys, Map.of(), Map.of("VAULT_PIN", "hunter22", "TOKEN", " ")));
        assertEquals("invalid value ' ' for TOKEN: expected a value that is not only spaces\n"
                + "invalid value 'hu****' for VAULT_PIN: expected a whole number from 0 to 9999", e.getMessage());
        assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
        assertEquals("hu****", e.errors().get(1).value());
    }

    @Test
    void anUnknownFlagIsAProgrammingErrorNotAUserError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Config.resolve(Keys.ALL, Map.of("http.prot", "80"), Map.of()));
        assertEquals("no configuration key 'http.prot'", e.getMessage());
    }

    private static Config resolve(String source, String raw) throws ConfigException {
        if (source.startsWith("--")) {
            ConfigKey<?> key = Keys.ALL.stream().filter(k -> k.flag().equals(source)).findFirst()
                    .orElseThrow(() -> new AssertionError("no key has the flag " + source));
            return Config.resolve(Keys.ALL, Map.of(key.name(), raw), Map.of());
        }
        return Config.resolve(Keys.ALL, Map.of(), Map.of(source, raw));
    }
}
