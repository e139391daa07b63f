package dev.helloworld.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Bytes on a socket, for requests that no HTTP client would send: malformed request lines, huge
 * headers, bodies on GET. Always 127.0.0.1, always with a read deadline.
 */
final class RawHttp {

    /** What came back: the status line, or how the connection ended without one. */
    record Answer(String statusLine, String text) {
        /** The status code, or -1 if the server closed or reset the connection without answering. */
        int status() {
            String[] parts = statusLine.split(" ");
            return statusLine.startsWith("HTTP/") && parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }

        @Override
        public String toString() {
            return statusLine;
        }
    }

    private RawHttp() {}

    static Socket connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5000);
        return socket;
    }

    /**
     * A connection from another loopback address, such as 127.0.0.2 (Linux routes all of
     * 127.0.0.0/8 to the loopback interface): another client, as the server counts clients.
     */
    static Socket connect(URI base, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(java.net.InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5000);
        return socket;
    }

    /**
     * Sends {@code request} on a new connection and reads until the server closes it, a complete
     * answer has arrived, or {@code timeout} passes. A reset while sending counts as closed: a
     * server may refuse a request before it has all of it.
     */
    static Answer exchange(URI base, byte[] request, Duration timeout) throws IOException {
        try (Socket socket = connect(base)) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException reset) {
                // Fall through: whatever the server wrote before closing may still be readable.
            }
            return read(socket, timeout);
        }
    }

    static Answer exchange(URI base, String request, Duration timeout) throws IOException {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    /** Reads one answer (headers and a Content-Length body) or until close, within {@code timeout}. */
    static Answer read(Socket socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        while (!complete(got.toString(StandardCharsets.ISO_8859_1))) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no complete answer within " + timeout + "; got: " + got);
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException reset) {
                n = -1;
            }
            if (n < 0) {
                break;
            }
            got.write(buffer, 0, n);
        }
        String text = got.toString(StandardCharsets.ISO_8859_1);
        String statusLine = text.isEmpty() ? "closed without an answer" : text.lines().findFirst().orElse("");
        return new Answer(statusLine, text);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String headers = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        int at = headers.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return true;
        }
        String value = headers.substring(at + "\r\ncontent-length:".length()).lines().findFirst().orElse("0").trim();
        return text.length() - end - 4 >= Integer.parseInt(value);
    }
}
