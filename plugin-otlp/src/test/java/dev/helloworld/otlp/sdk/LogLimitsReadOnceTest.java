package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log limits read once still limit every record as autoconfigure's, read per record, did. */
class LogLimitsReadOnceTest {

    private static final AttributeKey<String> NAME = AttributeKey.stringKey("thread.name");

    @Test
    void theStandardAttributeLimitsApplyToEveryRecord() {
        InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
        SdkLoggerProvider provider = TelemetrySdk.logLimitsReadOnce(SdkLoggerProvider.builder(),
                        DefaultConfigProperties.createFromMap(Map.of("otel.attribute.value.length.limit", "5",
                                "otel.attribute.count.limit", "1")))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported)).build();
        for (int i = 0; i < 3; i++) {
            provider.get("test").logRecordBuilder().setBody("record " + i)
                    .setAttribute(NAME, "http task-" + i).setAttribute(AttributeKey.longKey("thread.id"), 7L).emit();
        }
        // Read before closing: the in-memory exporter forgets its records when it is shut down.
        List<LogRecordData> records = exported.getFinishedLogRecordItems();
        provider.close();
        assertEquals(3, records.size());
        for (LogRecordData record : records) {
            assertEquals(Map.of(NAME, "http "), record.getAttributes().asMap(),
                    "cut to 5 characters, and the second attribute over the count of 1: " + record.getAttributes());
        }
    }

    @Test
    void withoutSettingsTheSdksDefaultsApply() {
        InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
        String longValue = "x".repeat(10_000);
        SdkLoggerProvider provider = TelemetrySdk.logLimitsReadOnce(SdkLoggerProvider.builder(),
                        DefaultConfigProperties.createFromMap(Map.of()))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported)).build();
        provider.get("test").logRecordBuilder().setAttribute(NAME, longValue).emit();
        List<LogRecordData> records = exported.getFinishedLogRecordItems();
        provider.close();
        assertEquals(longValue, records.get(0).getAttributes().get(NAME), "no length limit by default, as the SDK's");
    }
}
