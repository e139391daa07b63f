package dev.helloworld.otlp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.helloworld.otlp.TestHost;
import dev.helloworld.testkit.OtlpReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A user and password in the OTLP endpoint reach the collector as Basic authentication. */
class UrlCredentialsTest {

    private final OtlpReceiver receiver = OtlpReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void theEndpointsUserAndPasswordAreSentAsBasicAuthentication(String transport) throws Exception {
        URI plain = receiver.endpoint(transport);
        URI withCredentials = URI.create(plain.getScheme() + "://collector-user:p%40ss-w0rd@" + plain.getHost() + ":"
                + plain.getPort() + plain.getRawPath());
        try (TestHost host = TestHost.start(Map.of("otlp.exporter", transport, "otlp.endpoint", withCredentials.toString(),
                "enable.traces", "true"))) {
            host.otel().getTracer("test").spanBuilder("authenticated").startSpan().end();
        }
        receiver.awaitSpan("authenticated", java.time.Duration.ofSeconds(10));
        String expected = "Basic " + Base64.getEncoder().encodeToString("collector-user:p@ss-w0rd".getBytes(StandardCharsets.UTF_8));
        for (OtlpReceiver.Received request : receiver.requests()) {
            assertEquals(expected, request.headers().get("authorization"), "headers " + request.headers());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://u:pw@collector:4318", "http://collector:4318"})
    void theEndpointGivenToTheSdkHasNoCredentials(String endpoint) {
        URI without = UrlCredentials.without(URI.create(endpoint));
        assertEquals("http://collector:4318", without.toString());
        assertFalse(UrlCredentials.withBasicAuth(Map.of("Authorization", "Bearer x"), URI.create(endpoint))
                .get("Authorization").startsWith("Basic"), "an Authorization header of one's own wins");
    }
}
