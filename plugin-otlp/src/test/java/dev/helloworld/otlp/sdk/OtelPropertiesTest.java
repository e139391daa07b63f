package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.otlp.OtlpKeys;
import dev.helloworld.otlp.TestHost;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtelPropertiesTest {

    private static final List<ConfigKey<?>> KEYS = keys();

    private static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(OtlpKeys.ALL);
        return keys;
    }

    /** The overrides for helloworld flags and env, given OTEL_* settings as autoconfigure reads them. */
    private static Map<String, String> overrides(Map<String, String> flags, Map<String, String> env,
            Map<String, String> otel) throws ConfigException {
        Config config = Config.resolve(KEYS, flags, env);
        return new OtelProperties(config).overrides(DefaultConfigProperties.createFromMap(otel));
    }

    @Test
    void anExplicitEndpointWinsOverThePerSignalOtelEndpoints() throws Exception {
        Map<String, String> p = overrides(Map.of("otlp.exporter", "http", "otlp.endpoint", "http://collector:4318/base"),
                Map.of(), Map.of("otel.exporter.otlp.traces.endpoint", "http://elsewhere:4318/v1/traces"));

        assertEquals("http/protobuf", p.get("otel.exporter.otlp.protocol"));
        assertEquals("http://collector:4318/base", p.get("otel.exporter.otlp.endpoint"));
        assertEquals("http://collector:4318/base/v1/traces", p.get("otel.exporter.otlp.traces.endpoint"));
        assertEquals("http://collector:4318/base/v1/logs", p.get("otel.exporter.otlp.logs.endpoint"));
        assertEquals("http/protobuf", p.get("otel.exporter.otlp.metrics.protocol"));
    }

    @Test
    void theOriginalsVariableCountsAsExplicitButTheOtelFallbackDoesNot() throws Exception {
        Map<String, String> own = overrides(Map.of(), Map.of("OTLP_ENDPOINT", "http://own:4317"), Map.of());
        Map<String, String> otel = overrides(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://std:4317"), Map.of());

        assertEquals("http://own:4317", own.get("otel.exporter.otlp.traces.endpoint"));
        assertEquals("http://std:4317", otel.get("otel.exporter.otlp.endpoint"));
        assertFalse(otel.containsKey("otel.exporter.otlp.traces.endpoint"),
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT stays free to win: " + otel);
    }

    @Test
    void aDefaultEndpointLeavesThePerSignalOtelSettingsAlone() throws Exception {
        Map<String, String> p = overrides(Map.of(), Map.of(), Map.of());

        assertEquals("http://localhost:4317", p.get("otel.exporter.otlp.endpoint"));
        assertEquals("grpc", p.get("otel.exporter.otlp.protocol"));
        assertTrue(p.keySet().stream().noneMatch(k -> k.matches("otel\\.exporter\\.otlp\\.(traces|metrics|logs)\\..*")),
                "no per-signal OTLP setting: " + p);
    }

    @Test
    void theTokenHeaderIsAddedToTheOtelHeadersOfEverySignal() throws Exception {
        Map<String, String> p = overrides(Map.of("token", "a b+c"), Map.of(), Map.of(
                "otel.exporter.otlp.headers", "tenant=blue",
                "otel.exporter.otlp.logs.headers", "tenant=green"));

        assertEquals("tenant=blue,x-bk-token=a+b%2Bc", p.get("otel.exporter.otlp.headers"));
        assertEquals("tenant=green,x-bk-token=a+b%2Bc", p.get("otel.exporter.otlp.logs.headers"));
        assertFalse(p.containsKey("otel.exporter.otlp.traces.headers"), p.toString());
    }

    @Test
    void aTokenGivenOnlyInAnOtelHeaderIsTheTokenOfEveryHeader() throws Exception {
        Map<String, String> p = overrides(Map.of(), Map.of("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "X-BK-TOKEN=from-otel"),
                Map.of("otel.exporter.otlp.traces.headers", "X-BK-TOKEN=from-otel"));

        assertEquals("x-bk-token=from-otel", p.get("otel.exporter.otlp.headers"));
        assertEquals("x-bk-token=from-otel", p.get("otel.exporter.otlp.traces.headers"), "one spelling of the header");
    }

    @Test
    void aTokenGivenOnlyAsAResourceAttributeIsTheTokenOfTheHeader() throws Exception {
        Map<String, String> p = overrides(Map.of(), Map.of("OTEL_RESOURCE_ATTRIBUTES", "bk.data.token=from-resource"),
                Map.of("otel.resource.attributes", "bk.data.token=from-resource"));

        assertEquals("x-bk-token=from-resource", p.get("otel.exporter.otlp.headers"));
    }

    @Test
    void eachSignalIsExportedOnlyWhenItIsEnabled() throws Exception {
        Map<String, String> p = overrides(Map.of("enable.traces", "true", "enable.logs", "false"), Map.of(), Map.of());

        assertEquals("otlp", p.get("otel.traces.exporter"));
        assertEquals("none", p.get("otel.metrics.exporter"));
        assertEquals("none", p.get("otel.logs.exporter"));
    }

    @Test
    void consoleAndNoneChooseTheirExportersAndNoOtlpSettings() throws Exception {
        Map<String, String> console = overrides(Map.of("debug", "true", "otlp.exporter", "console"), Map.of(), Map.of());
        Map<String, String> none = overrides(Map.of("debug", "true", "otlp.exporter", "none"), Map.of(), Map.of());

        assertEquals(List.of("console", "console", "console"), List.of(console.get("otel.traces.exporter"),
                console.get("otel.metrics.exporter"), console.get("otel.logs.exporter")));
        assertEquals(List.of("none", "none", "none"), List.of(none.get("otel.traces.exporter"),
                none.get("otel.metrics.exporter"), none.get("otel.logs.exporter")));
        assertTrue(console.keySet().stream().noneMatch(k -> k.startsWith("otel.exporter.otlp")), console.toString());
    }

    @Test
    void onTheConsoleMetricsComeEveryFiveSecondsByDefaultOnly() throws Exception {
        Map<String, String> console = new OtelProperties(TestHost.config(Map.of("otlp.exporter", "console"))).defaults();
        Map<String, String> grpc = new OtelProperties(TestHost.config(Map.of("otlp.exporter", "grpc"))).defaults();

        // A default: autoconfigure lets OTEL_METRIC_EXPORT_INTERVAL and -Dotel.metric.export.interval win over it.
        assertEquals("5000", console.get("otel.metric.export.interval"), "console: " + console);
        assertFalse(grpc.containsKey("otel.metric.export.interval"), "grpc keeps the SDK's 60 s: " + grpc);
    }

    @Test
    void otherOtelSettingsKeepTheirMeaning() throws Exception {
        Map<String, String> otel = Map.of("otel.exporter.otlp.compression", "gzip", "otel.exporter.otlp.timeout", "3s",
                "otel.bsp.schedule.delay", "100", "otel.metric.export.interval", "1000",
                "otel.traces.sampler", "traceidratio", "otel.exporter.otlp.certificate", "/etc/ca.pem");
        Map<String, String> p = overrides(Map.of("debug", "true"), Map.of(), otel);

        for (String key : otel.keySet()) {
            assertFalse(p.containsKey(key), key + " is left to autoconfigure, but overridden in " + p);
        }
    }

    @Test
    void otelPropagatorsIsTakenAsListedAndLeftToAutoconfigureWhenUnset() throws Exception {
        assertFalse(overrides(Map.of(), Map.of(), Map.of()).containsKey("otel.propagators"),
                "autoconfigure's default, tracecontext,baggage, or -Dotel.propagators");
        assertEquals("b3multi", overrides(Map.of(), Map.of("OTEL_PROPAGATORS", "B3Multi"), Map.of())
                .get("otel.propagators"));
        assertEquals("tracecontext,jaeger", overrides(Map.of(), Map.of("OTEL_PROPAGATORS", " tracecontext, jaeger,"),
                Map.of()).get("otel.propagators"));
        assertEquals("none", overrides(Map.of(), Map.of("OTEL_PROPAGATORS", "none"), Map.of()).get("otel.propagators"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"xray", "b3,none", "w3c"})
    void anOtelPropagatorsValueWithoutAPropagatorIsAConfigurationError(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(KEYS, Map.of(), Map.of("OTEL_PROPAGATORS", value)));
        assertEquals("invalid value '" + value + "' for OTEL_PROPAGATORS: expected a comma-separated list of "
                + "tracecontext, baggage, b3, b3multi, jaeger, ottrace, or none alone", e.getMessage());
    }

    @Test
    void theServiceNameIsTheOneCoreResolvedWhereverItWasGiven() throws Exception {
        assertEquals("from-resource", overrides(Map.of(), Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-resource"),
                Map.of("otel.resource.attributes", "service.name=from-resource")).get("otel.service.name"));
        assertEquals("helloworld", overrides(Map.of(), Map.of(), Map.of()).get("otel.service.name"));
        assertEquals("shop", overrides(Map.of(), Map.of("OTEL_SERVICE_NAME", "shop"), Map.of("otel.service.name", "shop"))
                .get("otel.service.name"));
    }

    @Test
    void anExplicitCertificateIsUsedForEverySignal(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, String> p = overrides(Map.of("otlp.certificate", pem.toString()), Map.of(),
                Map.of("otel.exporter.otlp.traces.certificate", "/other.pem"));

        assertEquals(pem.toString(), p.get("otel.exporter.otlp.certificate"));
        assertEquals(pem.toString(), p.get("otel.exporter.otlp.traces.certificate"));
    }

    @Test
    void aCertificateThatCannotBeReadIsAOneLineConfigurationError(@TempDir Path dir) throws IOException {
        String missing = dir.resolve("missing.pem").toString();
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Config.of(KEYS, Map.of("otlp.certificate", missing)));

        assertEquals("invalid value '" + missing + "' for --otlp-certificate: expected the path of a readable PEM file",
                e.getMessage());
    }

    @Test
    void everyKeyButTheTokenIsPassedOnForOtherPlugins() throws Exception {
        Config config = Config.of(KEYS, Map.of("token", "secret-token", "enable.profiling", "yes"));
        Map<String, String> contract = new OtelProperties(config).contract();

        assertEquals("true", contract.get("helloworld.enable.profiling"));
        assertEquals("http://localhost:4040", contract.get("helloworld.profiling.endpoint"));
        assertEquals("", contract.get("helloworld.otlp.certificate"));
        assertFalse(contract.containsKey("helloworld.token"), contract.toString());
        assertFalse(contract.containsValue("secret-token"), contract.toString());
        assertEquals(KEYS.size() - 1, contract.size(), contract.toString());
    }
}
