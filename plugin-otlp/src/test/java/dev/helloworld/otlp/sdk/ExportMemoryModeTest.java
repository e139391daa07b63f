package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.otlp.TestHost;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which export data each signal's OTLP exporter reuses, read from the SDK as built (its
 * providers describe their exporters): reusable for spans and log records, immutable for metrics
 * unless OTEL says otherwise. Nothing is exported: the endpoint is never called.
 */
class ExportMemoryModeTest {

    private static final Pattern MODE = Pattern.compile("Otlp(Http|Grpc)(Span|LogRecord|Metric)Exporter\\{.*?memoryMode=(\\w+)");

    @AfterEach
    void clearProperty() {
        System.clearProperty(TelemetrySdk.MEMORY_MODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void spansAndLogsReuseTheirExportDataMetricsDoNot(String exporter) throws Exception {
        Map<String, String> modes = modes(build(exporter));
        assertTrue(modes.equals(Map.of("Span", "REUSABLE_DATA", "LogRecord", "REUSABLE_DATA", "Metric", "IMMUTABLE_DATA")),
                exporter + ": " + modes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "grpc"})
    void anOtelSettingDecidesForEverySignal(String exporter) throws Exception {
        System.setProperty(TelemetrySdk.MEMORY_MODE, "reusable_data");
        Map<String, String> modes = modes(build(exporter));
        assertTrue(modes.equals(Map.of("Span", "REUSABLE_DATA", "LogRecord", "REUSABLE_DATA", "Metric", "REUSABLE_DATA")),
                exporter + " with " + TelemetrySdk.MEMORY_MODE + "=reusable_data: " + modes);
    }

    private static String build(String exporter) throws Exception {
        Config config = TestHost.config(Map.of("otlp.exporter", exporter,
                "otlp.endpoint", "http://127.0.0.1:9", "enable.traces", "true", "enable.metrics", "true", "enable.logs", "true"));
        TelemetrySdk telemetry = TelemetrySdk.build(config);
        try {
            return telemetry.sdk().getSdkTracerProvider() + "\n" + telemetry.sdk().getSdkLoggerProvider() + "\n"
                    + telemetry.sdk().getSdkMeterProvider();
        } finally {
            telemetry.sdk().shutdown();
        }
    }

    private static Map<String, String> modes(String description) {
        Map<String, String> modes = new java.util.TreeMap<>();
        Matcher m = MODE.matcher(description);
        while (m.find()) {
            modes.put(m.group(2), m.group(3));
        }
        return modes;
    }
}
