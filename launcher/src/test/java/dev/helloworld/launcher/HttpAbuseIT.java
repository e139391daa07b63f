package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that misbehave, against one real server process: after each, the server is still up
 * and answers a well-behaved client. The limits at work are plugin-http's ServerLimits (16 KiB of
 * headers, 1024 connections and 256 per client address, a 10 s request parse timeout, 30 s
 * without a request, 60 s idle).
 */
class HttpAbuseIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration ANSWER = Duration.ofSeconds(10);
    /** plugin-http's ServerLimits.DATA.perClient(). */
    private static final int PER_CLIENT = 256;
    /** plugin-http's ServerLimits.REQUEST_PARSE_TIMEOUT. */
    private static final Duration REQUEST_PARSE_TIMEOUT = Duration.ofSeconds(10);

    private static LauncherProcess launcher;
    private static URI base;
    private static HttpClient client;

    @BeforeAll
    static void startTheService() throws Exception {
        launcher = LauncherProcess.start(LauncherProcess.dist(), java.util.Map.of(),
                "run", "--exporter", "none", "--http-address", "127.0.0.1", "--http-port", "0",
                "--work-scale", "0", "--error-rate", "0", "--query-interval", "1h");
        base = launcher.awaitHttpBase(PATIENCE);
        launcher.awaitStdout("[querier] service started", PATIENCE);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void aWellBehavedClientIsStillServed() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/helloworld"))
                .timeout(ANSWER).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "a well-behaved client after the abuse: " + response.body()
                + "\n" + launcher.output());
        assertTrue(response.body().startsWith("Hello World, "), response.body());
    }

    @AfterAll
    static void stopsCleanlyAfterAllOfIt() throws Exception {
        if (launcher == null) {
            return;
        }
        try (LauncherProcess running = launcher) {
            running.terminate();
            assertEquals(0, running.awaitExit(PATIENCE), "exit code after SIGTERM\n" + running.output());
            assertTrue(running.output().lines().noneMatch(l -> l.startsWith("\tat ") || l.contains("ERROR")),
                    "no errors or stack traces from abuse\n" + running.output());
        }
    }

    @Test
    void malformedRequestLinesAreRefusedWithoutHarm() throws Exception {
        List<String> requests = List.of(
                "GARBAGE\r\n\r\n",
                "GET\r\n\r\n",
                "GET /helloworld\r\n\r\n",
                "GET /hello world HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET /helloworld HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
                "GET /helloworld HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n",
                "GET /helloworld HTTP/1.1\r\n: no-name\r\n\r\n",
                "\u0000\u0001\u0002\u00ff\u00fe binary\r\n\r\n",
                "GET /" + "a".repeat(64 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        List<String> answers = new ArrayList<>();
        for (String request : requests) {
            RawHttp.Answer answer = RawHttp.exchange(base, request, ANSWER);
            answers.add(answer.statusLine());
            assertEquals(400, answer.status(), "expected 400 Bad Request for " + abbreviate(request) + ", got: " + answer);
        }
        System.out.println("[HttpAbuseIT] malformed requests answered: " + answers);
    }

    @Test
    void aOneMebibyteHeaderIsRefused() throws Exception {
        String request = "GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(1 << 20) + "\r\n\r\n";
        RawHttp.Answer answer = RawHttp.exchange(base, request, ANSWER);
        // -1: the server may close while the client is still sending, before the answer is read.
        assertTrue(Set.of(400, -1).contains(answer.status()),
                "expected 400 or a closed connection for 1 MiB of headers (limit 16 KiB), got: " + answer);
    }

    @Test
    void tenThousandSequentialConnectionsAreServedAndLeaveNoDescriptorsBehind() throws Exception {
        long before = openDescriptors();
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            RawHttp.Answer answer = RawHttp.exchange(base,
                    "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", ANSWER);
            if (answer.status() != 200) {
                throw new AssertionError("connection " + i + ": expected 200, got " + answer + "\n" + launcher.output());
            }
        }
        System.out.printf("[HttpAbuseIT] 10000 sequential connections in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        awaitDescriptors(n -> n <= before + 20, "back to at most " + (before + 20) + " (" + before + " before)");
    }

    @Test
    void oneClientHoldsAtMostItsShareOfConnectionsWhileAnotherIsServed() throws Exception {
        long before = openDescriptors();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                idle.add(RawHttp.connect(base));
            }
            awaitDescriptors(n -> n >= before + PER_CLIENT, "at least " + (before + PER_CLIENT) + ": the client's share accepted");
            // Another client (another loopback address) is served meanwhile, on a connection of its own.
            try (Socket other = RawHttp.connect(base, "127.0.0.2")) {
                other.getOutputStream().write("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                RawHttp.Answer answer = RawHttp.read(other, ANSWER);
                assertEquals(200, answer.status(), "another client while one holds 500 idle sockets: " + answer.text());
            }
            // The server closes each connection over the share as it accepts it: poll until it has.
            awaitDescriptors(n -> n - before <= PER_CLIENT + 20, "one client's 500 idle sockets holding at most "
                    + PER_CLIENT + " (+20) of the server's descriptors");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
        awaitDescriptors(n -> n <= before + 20, "back to at most " + (before + 20) + " once the clients closed");
    }

    @Test
    void headIsAnsweredWhereverGetIsWithTheHeadersAndNoBody() throws Exception {
        for (String path : List.of("/helloworld", "/healthz", "/readyz")) {
            try (Socket socket = RawHttp.connect(base)) {
                socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        + "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout((int) ANSWER.toMillis());
                String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                // The HEAD's headers, then at once the next answer: no body came between them.
                String head = both.substring(0, both.indexOf("\r\n\r\n") + 4);
                String rest = both.substring(head.length());
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), "HEAD " + path + ": " + head);
                assertTrue(rest.startsWith("HTTP/1.1 200 OK\r\n"), "HEAD " + path + " sent a body, or no next answer: " + both);
            }
        }
    }

    @Test
    void probesAnswerGetAndHeadOnlyAnd405WithAllowOtherwise() throws Exception {
        List<String> answers = new ArrayList<>();
        for (String path : List.of("/healthz", "/readyz")) {
            for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT")) {
                RawHttp.Answer answer = RawHttp.exchange(base, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n", ANSWER);
                answers.add(method + " " + path + " -> " + answer.status());
                assertEquals(405, answer.status(), method + " " + path + ": " + answer.text());
                assertTrue(answer.text().contains("\r\nAllow: GET, HEAD\r\n"), method + " " + path + ": " + answer.text());
            }
        }
        System.out.println("[HttpAbuseIT] " + answers);
    }

    @Test
    void aSlowClientDoesNotHoldOthersUpAndIsDroppedAtTheParseTimeout() throws Exception {
        try (Socket slow = RawHttp.connect(base)) {
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            long deadline = start + REQUEST_PARSE_TIMEOUT.plusSeconds(5).toNanos();
            int sent = 0;
            boolean dropped = false;
            // One byte a second; the one-second read timeout is the pace, and it sees the close.
            slow.setSoTimeout(1000);
            while (!dropped && System.nanoTime() < deadline) {
                try {
                    out.write('a');
                    out.flush();
                    sent++;
                    dropped = in.read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    if (sent <= 3) {
                        aWellBehavedClientIsStillServed();
                    }
                } catch (IOException reset) {
                    dropped = true;
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(dropped, "the slow client should be dropped at the request parse timeout of "
                    + REQUEST_PARSE_TIMEOUT + "; still connected after " + took + " and " + sent + " bytes");
            System.out.printf("[HttpAbuseIT] slow client dropped after %d ms, %d bytes%n", took.toMillis(), sent);
            assertTrue(took.compareTo(REQUEST_PARSE_TIMEOUT.minusSeconds(2)) >= 0,
                    "dropped after " + took + ", sooner than the parse timeout of " + REQUEST_PARSE_TIMEOUT);
        }
    }

    @Test
    void aBodyOnGetIsSkippedAndTheConnectionStaysUsableButABodyOverTheLimitIsRefused() throws Exception {
        try (Socket socket = RawHttp.connect(base)) {
            socket.getOutputStream().write(("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 11\r\n\r\n"
                    + "hello body!").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer first = RawHttp.read(socket, ANSWER);
            assertEquals(200, first.status(), "GET with a body: " + first.text());
            socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer second = RawHttp.read(socket, ANSWER);
            assertEquals(200, second.status(), "the next request on the same connection: " + second.text());
        }
        byte[] big = ("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (1 << 20) + "\r\n\r\n"
                + "b".repeat(1 << 20)).getBytes(StandardCharsets.US_ASCII);
        RawHttp.Answer answer = RawHttp.exchange(base, big, ANSWER);
        assertTrue(Set.of(400, 413, -1).contains(answer.status()),
                "a GET that declares 1 MiB of body (limit 64 KiB): refused (400 or 413) or closed; got " + answer);
    }

    @Test
    void pathsWithDotDotAndEncodedBytesAreNotFound() throws Exception {
        List<String> paths = List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/helloworld/../../etc/passwd",
                "/helloworld/..%2f..%2fetc%2fpasswd", "/hello%00world", "/%ff%fe%fd", "/helloworld%", "/..;/helloworld",
                "/helloworld/%2e%2e/x");
        List<String> answers = new ArrayList<>();
        for (String path : paths) {
            RawHttp.Answer answer = RawHttp.exchange(base,
                    "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", ANSWER);
            answers.add(path + " -> " + answer.status());
            // 400 only for "/helloworld%", whose percent sign starts no escape; the rest match no route.
            assertEquals(path.endsWith("%") ? 400 : 404, answer.status(), "for " + path + ", got: " + answer.text());
            assertTrue(!answer.text().contains("root:"), "a file's content for " + path);
        }
        System.out.println("[HttpAbuseIT] " + answers);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(launcher.pid()), "fd"))) {
            return fds.count();
        }
    }

    private static void awaitDescriptors(java.util.function.LongPredicate done, String expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long now = openDescriptors();
        while (!done.test(now)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("open descriptors of the service: expected " + expected + ", but " + now + "\n" + launcher.output());
            }
            // Polling /proc: the server closes its side on its own I/O threads, with no event to wait for.
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            now = openDescriptors();
        }
    }

    private static String abbreviate(String request) {
        String shown = request.replace("\r\n", "\\r\\n");
        return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
    }
}
