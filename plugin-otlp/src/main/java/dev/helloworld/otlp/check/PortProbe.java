package dev.helloworld.otlp.check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks a plain-text port which HTTP it speaks, for a connection the exporter saw dropped without
 * an answer. The server's side of such a drop races the client's write: an HTTP/1.1 server that
 * answers gRPC's preface with 400 and closes shows up as "broken pipe", "connection reset" or the
 * end of the stream, depending on which side was faster. One HTTP/1.1 request of its own, whose
 * answer is read, says for sure: a status line, or the SETTINGS frame an HTTP/2-only server sends
 * first.
 */
final class PortProbe {

    enum Speaks { HTTP_1, HTTP_2, UNKNOWN }

    private static final int SETTINGS_FRAME = 0x04;

    private PortProbe() {
    }

    static Speaks probe(String host, int port, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            String request = "GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return classify(socket.getInputStream().readNBytes(9));
        } catch (IOException | RuntimeException e) {
            return Speaks.UNKNOWN;
        }
    }

    static Speaks classify(byte[] first) {
        if (first.length >= 5 && new String(first, 0, 5, StandardCharsets.US_ASCII).equals("HTTP/")) {
            return Speaks.HTTP_1;
        }
        if (first.length >= 4 && first[3] == SETTINGS_FRAME) {
            return Speaks.HTTP_2;
        }
        return Speaks.UNKNOWN;
    }
}
