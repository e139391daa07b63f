package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.otlp.CollectorTroubleTest;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** A client's malformed baggage writes a line a minute, not one per request. */
class ClientInputWarningsTest {

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Test
    void aThousandRequestsWithBadBaggageWriteOneLine() {
        SdkLogging.install();
        try (CollectorTroubleTest.Records records = CollectorTroubleTest.Records.of("io.opentelemetry.api.baggage.propagation")) {
            for (int i = 0; i < 1000; i++) {
                W3CBaggagePropagator.getInstance().extract(Context.root(), Map.of("baggage", "user=%zz"), GETTER);
            }
            List<String> lines = records.messages();
            assertTrue(lines.size() >= 1 && lines.size() <= 2, "one line per kind of warning: " + lines);
        }
    }

    @Test
    void saysHowManyWereHeldBackWhenTheNextWindowOpens() {
        AtomicLong now = new AtomicLong();
        ClientInputWarnings filter = new ClientInputWarnings(Duration.ofMinutes(1), now::get);
        assertTrue(filter.isLoggable(new LogRecord(java.util.logging.Level.WARNING, "Skipping invalid baggage member")));
        for (int i = 0; i < 41; i++) {
            assertEquals(false, filter.isLoggable(new LogRecord(java.util.logging.Level.WARNING, "Skipping invalid baggage member")));
        }
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        LogRecord next = new LogRecord(java.util.logging.Level.WARNING, "Skipping invalid baggage member");
        assertTrue(filter.isLoggable(next));
        assertTrue(next.getMessage().contains("41 held back"), next.getMessage());
    }
}
