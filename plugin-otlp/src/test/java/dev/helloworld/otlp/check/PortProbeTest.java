package dev.helloworld.otlp.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.testkit.OtlpReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe against real servers on 127.0.0.1: the test collector's two ports, and one that only hangs up. */
class PortProbeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void tellsTheOtlpHttpPortFromTheOtlpGrpcPort() {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            assertEquals(PortProbe.Speaks.HTTP_1, PortProbe.probe("127.0.0.1", receiver.httpEndpoint().getPort(), TIMEOUT));
            assertEquals(PortProbe.Speaks.HTTP_2, PortProbe.probe("127.0.0.1", receiver.grpcEndpoint().getPort(), TIMEOUT));
        }
    }

    @Test
    void aPortThatHangsUpOrIsClosedIsUnknown() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread hangUp = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().read();
                } catch (IOException ignored) {
                    // the probe's side closing first is fine too
                }
            });
            hangUp.start();
            assertEquals(PortProbe.Speaks.UNKNOWN, PortProbe.probe("127.0.0.1", server.getLocalPort(), TIMEOUT));
            int closed = server.getLocalPort();
            server.close();
            assertEquals(PortProbe.Speaks.UNKNOWN, PortProbe.probe("127.0.0.1", closed, TIMEOUT));
        }
    }
}
