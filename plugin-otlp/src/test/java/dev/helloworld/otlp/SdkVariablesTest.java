package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.ConfigException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SDK's own variables, read first here: bad values are usage errors, good ones reach the SDK. */
class SdkVariablesTest {

    @Test
    void valuesGivenByVariableOrOptionReachTheSdkAsWritten() throws ConfigException {
        Map<String, String> properties = SdkVariables.properties(TestHost.config(
                Map.of("metric.export.interval", "1s"),
                Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2500", "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                        "OTEL_RESOURCE_ATTRIBUTES", "team=blue,region=eu%2Cwest")));
        assertEquals(Map.of("otel.metric.export.interval", "1s", "otel.exporter.otlp.timeout", "2500",
                "otel.exporter.otlp.compression", "gzip", "otel.resource.attributes", "team=blue,region=eu%2Cwest"),
                properties);
    }

    @Test
    void nothingGivenLeavesTheSdkItsDefaults() throws ConfigException {
        assertEquals(Map.of(), SdkVariables.properties(TestHost.config(Map.of())));
    }

    @Test
    void theSdksDurationSyntax() {
        assertEquals(Optional.of(5000L), SdkVariables.sdkMillis("5000"));
        assertEquals(Optional.of(5000L), SdkVariables.sdkMillis("5s"));
        assertEquals(Optional.of(120_000L), SdkVariables.sdkMillis("2m"));
        assertEquals(Optional.empty(), SdkVariables.sdkMillis("-5"));
        assertEquals(Optional.empty(), SdkVariables.sdkMillis("abc"));
        assertEquals(Optional.empty(), SdkVariables.sdkMillis("5 sec"));
    }

    @Test
    void everyBadValueIsReportedNamingItsVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> TestHost.config(Map.of(), Map.of(
                "OTEL_METRIC_EXPORT_INTERVAL", "0", "OTEL_EXPORTER_OTLP_TIMEOUT", "abc",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "zstd", "OTEL_RESOURCE_ATTRIBUTES", "foo,bar=")));
        for (String variable : new String[] {"OTEL_METRIC_EXPORT_INTERVAL", "OTEL_EXPORTER_OTLP_TIMEOUT",
                "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_RESOURCE_ATTRIBUTES"}) {
            assertTrue(e.getMessage().contains("for " + variable + ": expected "), variable + " in: " + e.getMessage());
        }
        assertEquals(4, e.getMessage().lines().count(), e.getMessage());
    }
}
