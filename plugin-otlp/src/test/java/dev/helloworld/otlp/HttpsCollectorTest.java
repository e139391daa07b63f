package dev.helloworld.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpsCollectorTest {

    private final OtlpReceiver receiver = OtlpReceiver.startTls();
    private final CollectorTroubleTest.Records serviceLog = CollectorTroubleTest.Records.of("helloworld.otlp");

    @AfterEach
    void cleanUp() {
        serviceLog.close();
        receiver.close();
    }

    private Map<String, String> tracesTo(String transport) {
        Map<String, String> flags = new HashMap<>();
        flags.put("otlp.exporter", transport);
        flags.put("otlp.endpoint", receiver.endpoint(transport).toString());
        flags.put("enable.traces", "true");
        return flags;
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void exportsToAnHttpsCollectorWhoseCaIsGivenWithTheCertificateOption(String transport) throws Exception {
        Map<String, String> flags = tracesTo(transport);
        flags.put("otlp.certificate", receiver.caCertificate().toString());
        try (TestHost host = TestHost.start(flags)) {
            host.otel().getTracer("test").spanBuilder("over tls").startSpan().end();
        }

        assertEquals("over tls", receiver.awaitSpan("over tls", Duration.ofSeconds(10)).getName());
    }

    @Test
    void theStandardOtelCertificateSettingWorksToo() throws Exception {
        System.setProperty("otel.exporter.otlp.certificate", receiver.caCertificate().toString());
        try (TestHost host = TestHost.start(tracesTo("http"))) {
            host.otel().getTracer("test").spanBuilder("trusted by otel setting").startSpan().end();
        } finally {
            System.clearProperty("otel.exporter.otlp.certificate");
        }

        receiver.awaitSpan("trusted by otel setting", Duration.ofSeconds(10));
    }

    @Test
    void refusesACollectorItDoesNotTrust() throws Exception {
        try (TestHost host = TestHost.start(tracesTo("http"))) {
            host.otel().getTracer("test").spanBuilder("untrusted").startSpan().end();
        }

        assertEquals(List.of(), receiver.spans(), "nothing reaches an untrusted collector");
        assertTrue(serviceLog.messages().stream().anyMatch(m -> m.contains("traces: 1 spans recorded, 0 exported, 1 discarded (undeliverable at stop 1)")),
                "the failed span is counted at stop: " + serviceLog.messages());
    }
}
