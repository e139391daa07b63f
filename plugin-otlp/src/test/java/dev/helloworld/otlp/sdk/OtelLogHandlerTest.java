package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/**
 * The thread attributes on the bridged records follow the Java agent's java.util.logging bridge:
 * none by default, {@code thread.name} and {@code thread.id} when its experimental setting asks.
 */
class OtelLogHandlerTest {

    @Test
    void recordsCarryNoThreadAttributesByDefaultAsTheAgentsBridge() {
        LogRecordData record = bridged(false);
        assertEquals(Attributes.empty(), record.getAttributes(), "attributes of " + record);
        assertEquals("get country -> Canada", record.getBodyValue().asString());
        assertEquals(Severity.INFO, record.getSeverity());
    }

    @Test
    void recordsCarryTheThreadWhenTheExperimentalAttributesAreAskedFor() {
        LogRecordData record = bridged(true);
        assertEquals(Attributes.of(AttributeKey.stringKey("thread.name"), Thread.currentThread().getName(),
                AttributeKey.longKey("thread.id"), Thread.currentThread().getId()), record.getAttributes(),
                "attributes of " + record);
    }

    private static LogRecordData bridged(boolean threadAttributes) {
        InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported)).build();
        LogRecord record = new LogRecord(Level.INFO, "get country -> Canada");
        record.setLoggerName("otel");
        new OtelLogHandler(provider, () -> false, threadAttributes).publish(record);
        // Read before closing: the in-memory exporter forgets its records when it is shut down.
        List<LogRecordData> records = exported.getFinishedLogRecordItems();
        provider.close();
        assertEquals(1, records.size(), "records: " + records);
        return records.get(0);
    }
}
