package dev.helloworld.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigException;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.spi.HostState;
import dev.helloworld.core.spi.HttpServerAddress;
import dev.helloworld.core.spi.Service;
import dev.helloworld.core.spi.ServiceContext;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server around /helloworld: probes, routing, concurrency, limits, start and stop. */
class HttpServiceTest {

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final Set<Thread> threadsBefore = Set.copyOf(Thread.getAllStackTraces().keySet());

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void answersProbesUntracedAndUnknownPathsWith404() throws Exception {
        try (TestTelemetry telemetry = new TestTelemetry();
             TestServer server = new TestServer(telemetry.sdk, Map.of())) {
            assertEquals(new Http.Response(200, "ok"), Http.get(server.resolve("/healthz")));
            assertEquals(new Http.Response(200, "ready"), Http.get(server.resolve("/readyz")));
            assertEquals(404, Http.get(server.resolve("/nothing-here")).status());

            // Only the 404 is traced: wait for it, then check that no probe span came before it.
            var spans = telemetry.awaitSpans(s -> !s.isEmpty(), "the 404's span");
            assertEquals(List.of("GET"), spans.stream().map(s -> s.getName()).toList(),
                    "expected only the 404 traced, without a route");
        }
    }

    @Test
    void answersOtherMethodsOnHelloWorldWith405AndAllowGetAndHead() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of())) {
            for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
                Http.Response response = Http.send(method, server.resolve("/helloworld"), Map.of());
                assertEquals(405, response.status(), () -> method + " /helloworld: expected 405, got " + response);
                assertEquals("GET, HEAD", Http.responseHeader(method, server.resolve("/helloworld"), "Allow"));
            }
        }
    }

    @Test
    void answersHeadOnHelloWorldAsGetWithoutTheBody() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of());
                Socket socket = new Socket("127.0.0.1", server.uri.getPort())) {
            socket.setSoTimeout(30_000);
            String head = request(socket, "HEAD", "/helloworld");
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            // The same connection answers the next request at once: no body was sent after the head.
            assertTrue(request(socket, "GET", "/healthz").startsWith("HTTP/1.1 200 OK\r\n"), "the next request");
        }
    }

    @Test
    void answersGetAndHeadOnProbesAnd405WithAllowOtherwise() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of())) {
            for (String path : List.of("/healthz", "/readyz")) {
                assertEquals(200, Http.send("HEAD", server.resolve(path), Map.of()).status(), "HEAD " + path);
                for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
                    Http.Response response = Http.send(method, server.resolve(path), Map.of());
                    assertEquals(405, response.status(), () -> method + " " + path + ": expected 405, got " + response);
                    assertEquals("GET, HEAD", Http.responseHeader(method, server.resolve(path), "Allow"), method + " " + path);
                }
            }
        }
    }

    @Test
    void answersProbesOnTheManagementPortAndNothingElse() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("management.port", "0"))) {
            URI management = server.managementUri();
            assertEquals(new Http.Response(200, "ok"), Http.get(management.resolve("/healthz")));
            assertEquals(new Http.Response(200, "ready"), Http.get(management.resolve("/readyz")));
            assertEquals(404, Http.get(management.resolve("/helloworld")).status(), "/helloworld is not served there");
            assertEquals(405, Http.send("POST", management.resolve("/healthz"), Map.of()).status());
            server.context.state = HostState.STOPPING;
            assertEquals(new Http.Response(503, "stopping"), Http.get(management.resolve("/readyz")));
        }
    }

    @Test
    void aManagementPortEqualToTheHttpPortIsAUsageErrorNamingBothBeforeAnyBind() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String given = String.valueOf(port);
        ConfigException e = assertThrows(ConfigException.class,
                () -> new TestServer(OpenTelemetry.noop(), Map.of("http.port", given, "management.port", given)).close());
        assertEquals("invalid value '" + port + "' for --management-port: expected a port other than --http-port's ("
                + port + "), 0 for any free port, or off", e.getMessage());
        try (ServerSocket free = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, free.getLocalPort(), "nothing was left bound to the port");
        }
    }

    @Test
    void closesAConnectionOverThePerClientLimitAtOnceAndServesTheOthers() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of())) {
            // Connections that have ended no longer count: more of them first than the limit.
            for (int i = 0; i < ServerLimits.DATA.perClient() + 100; i++) {
                try (Socket socket = new Socket("127.0.0.1", server.uri.getPort())) {
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = readAll(socket.getInputStream());
                    assertTrue(answer.startsWith("HTTP/1.1 200"), "sequential connection " + i + ": " + answer);
                }
            }
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < ServerLimits.DATA.perClient(); i++) {
                    Socket socket = new Socket("127.0.0.1", server.uri.getPort());
                    socket.setSoTimeout(30_000);
                    held.add(socket);
                }
                // Every one accepted: the first still answers (accepts run in order, so all before it were admitted).
                assertTrue(request(held.get(held.size() - 1), "GET", "/healthz").startsWith("HTTP/1.1 200"), "the last admitted");
                try (Socket over = new Socket("127.0.0.1", server.uri.getPort())) {
                    over.setSoTimeout(10_000);
                    assertEquals(-1, readOrReset(over), "a connection over the limit of " + ServerLimits.DATA.perClient()
                            + " per client is closed without an answer");
                }
                held.remove(0).close();
                awaitTrue(() -> {
                    try (Socket again = new Socket("127.0.0.1", server.uri.getPort())) {
                        again.setSoTimeout(10_000);
                        return request(again, "GET", "/healthz").startsWith("HTTP/1.1 200");
                    } catch (IOException closed) {
                        return false;
                    }
                }, "a new connection admitted once one of the client's closed");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void isReadyOnlyWhileTheHostIsRunning() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of())) {
            server.context.state = HostState.STARTING;
            assertEquals(new Http.Response(503, "starting"), Http.get(server.resolve("/readyz")));
            assertEquals(200, Http.get(server.resolve("/healthz")).status(), "alive while starting");
            server.context.state = HostState.RUNNING;
            assertEquals(new Http.Response(200, "ready"), Http.get(server.resolve("/readyz")));
            server.context.state = HostState.STOPPING;
            assertEquals(new Http.Response(503, "stopping"), Http.get(server.resolve("/readyz")));
        }
    }

    @Test
    void servesRequestsConcurrentlyOnWorkerThreads() throws Exception {
        // At scale 20 a request burns at least 600 ms of CPU in three do_something calls.
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "20"))) {
            CompletableFuture<Http.Response> first = getAsync(server.resolve("/helloworld"));
            awaitTrue(() -> threadsInsideDoSomething() >= 1, "a request inside do_something");

            Http.Response probe = Http.get(server.resolve("/healthz"));
            assertEquals(200, probe.status());
            assertFalse(first.isDone(), "the probe was answered while the first request still worked");

            CompletableFuture<Http.Response> second = getAsync(server.resolve("/helloworld"));
            awaitTrue(() -> threadsInsideDoSomething() >= 2, "two requests inside do_something at once");
            assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, second.get(30, TimeUnit.SECONDS).status());
        }
    }

    @Test
    void serves64ConcurrentConnections() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "0.1"))) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 64; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", server.uri.getPort()), 5000);
                    socket.setSoTimeout(30_000);
                    sockets.add(socket);
                }
                for (Socket socket : sockets) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                Map<String, Long> statusLines = new HashMap<>();
                for (Socket socket : sockets) {
                    String response = readAll(socket.getInputStream());
                    statusLines.merge(response.lines().findFirst().orElse("<nothing>"), 1L, Long::sum);
                }
                assertEquals(Map.of("HTTP/1.1 200 OK", 64L), statusLines);
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void letsAnInFlightRequestFinishWhenStoppedThenRefusesConnections() throws Exception {
        TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "10", "shutdown.timeout", "40s"));
        CompletableFuture<Http.Response> inFlight = getAsync(server.resolve("/helloworld"));
        awaitTrue(() -> threadsInsideDoSomething() >= 1, "a request inside do_something");

        server.stop();

        assertEquals(200, inFlight.get(5, TimeUnit.SECONDS).status(), "the in-flight request completes");
        assertThrows(ConnectException.class, () -> Http.get(server.resolve("/healthz")));
    }

    @Test
    void stopsAtTheDrainDeadlineInterruptingWorkThatRunsLongerQuietly() throws Exception {
        Set<Thread> before = serverThreads();
        // At scale 100 a request works for at least 3 s; the drain is a quarter of 1 s.
        TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "100", "shutdown.timeout", "1s"));
        getAsync(server.resolve("/helloworld"));
        awaitTrue(() -> threadsInsideDoSomething() >= 1, "a request inside do_something");
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);

        long start = System.nanoTime();
        long stopMillis;
        try {
            server.stop();
            stopMillis = (System.nanoTime() - start) / 1_000_000;
            // The cut-off request ends on its worker thread after stop returns: until that thread is gone, it may log.
            awaitTrue(() -> before.containsAll(serverThreads()), () -> "server threads left after stop: "
                    + serverThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList());
        } finally {
            root.removeHandler(capture);
        }
        List<String> cutOffLines = logged.stream().filter(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(r -> r.getLoggerName() + ": " + (r.getParameters() == null ? r.getMessage()
                        : java.text.MessageFormat.format(r.getMessage(), r.getParameters()))).toList();
        assertEquals(List.of("helloworld.http: 1 request still running at the drain deadline of 250ms cut off, their connections closed"),
                cutOffLines, "one warning for the request cut off, and no error (Undertow logs UT005071 for a request that throws)");

        long limit = 250 + ServerLimits.WORKER_SHUTDOWN_TIMEOUT.toMillis() + 1000;
        assertTrue(stopMillis < limit, () -> "expected stop within " + limit + " ms, took " + stopMillis);
        // Left alone, the work would go on for more than another second and a half.
        awaitTrue(() -> threadsInsideDoSomething() == 0, Duration.ofSeconds(1), () -> "the work interrupted");
        awaitTrue(() -> before.containsAll(serverThreads()) && threadsInsideDoSomething() == 0,
                () -> "server threads left after stop: " + serverThreads().stream().filter(t -> !before.contains(t))
                        .map(Thread::getName).toList());
    }

    @Test
    void answers503ToNewRequestsOnOpenConnectionsWhileDraining() throws Exception {
        // Drains for a quarter of the shutdown timeout: 10 s, more than a request at scale 20 takes.
        TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "20", "shutdown.timeout", "40s"));
        try (Socket idle = new Socket("127.0.0.1", server.uri.getPort())) {
            idle.setSoTimeout(30_000);
            assertEquals("HTTP/1.1 200 OK", exchange(idle, "/healthz"), "before stop, on a kept-alive connection");
            CompletableFuture<Http.Response> inFlight = getAsync(server.resolve("/helloworld"));
            awaitTrue(() -> threadsInsideDoSomething() >= 1, "a request inside do_something");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.close(), clients);
            awaitTrue(() -> !canConnect(server.uri.getPort()), "the listening socket closed");

            String refused = request(idle, "GET", "/healthz");
            assertTrue(refused.startsWith("HTTP/1.1 503 Service Unavailable\r\n"), "a new request while draining: " + refused);
            assertTrue(refused.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"), refused);
            assertTrue(refused.contains("\r\nRetry-After: 1\r\n"), refused);
            assertEquals(-1, readOrReset(idle), "the connection is closed after the 503");
            assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).status(), "the in-flight request completes");
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void closesTheConnectionOfARequestInFlightWhenItEndsDuringTheDrain() throws Exception {
        TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("work.scale", "20", "shutdown.timeout", "40s"));
        try (Socket socket = new Socket("127.0.0.1", server.uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            awaitTrue(() -> threadsInsideDoSomething() >= 1, "the request inside do_something");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.close(), clients);
            awaitTrue(() -> !canConnect(server.uri.getPort()), "the listening socket closed");

            String answer = readHead(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("\r\nconnection: close\r\n"),
                    "an answer sent during the drain closes its connection: " + answer);
            stopping.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void releasesEveryThreadWhenStopped() throws Exception {
        Set<Thread> before = serverThreads();
        TestServer server = new TestServer(OpenTelemetry.noop(), Map.of());
        Http.get(server.resolve("/helloworld"));
        assertFalse(serverThreads().equals(before), "expected the server to start server threads");

        server.stop();

        awaitTrue(() -> before.containsAll(serverThreads()),
                () -> "server threads left after stop: " + serverThreads().stream().filter(t -> !before.contains(t)).map(Thread::getName).toList());
    }

    @Test
    void failsToStartWithOneLineWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Set<Thread> before = serverThreads();

            Exception e = assertThrows(Exception.class, () -> new TestServer(OpenTelemetry.noop(),
                    Map.of("http.port", String.valueOf(port))));

            assertEquals("address 127.0.0.1:" + port + " already in use", e.getMessage());
            awaitTrue(() -> before.containsAll(serverThreads()), "no server threads left behind by the failed start");
        }
    }

    @Test
    void publishesALoopbackAddressWhenListeningOnAllInterfacesAndAnsweredOnIt() throws Exception {
        try (TestServer server = new TestServer(OpenTelemetry.noop(), Map.of("http.address", "0.0.0.0"))) {
            assertEquals("127.0.0.1", server.uri.getHost());
            assertTrue(server.uri.getPort() > 0, () -> "expected the real port, got " + server.uri);
            assertEquals(200, Http.get(server.resolve("/healthz")).status());
        }
    }

    @Test
    void runsUnderTheHostWithItsTelemetryAndReportsReadinessByHostState() throws Exception {
        try (TestTelemetry telemetry = new TestTelemetry()) {
            List<URI> published = new ArrayList<>();
            List<Http.Response> whileStarting = new ArrayList<>();
            // Probes /readyz from a service that starts after http, while the host is still starting.
            Service prober = new NamedService("prober", 900) {
                @Override
                public void start(ServiceContext context) throws Exception {
                    URI uri = context.lookup(HttpServerAddress.class).orElseThrow().uri();
                    published.add(uri);
                    whileStarting.add(Http.get(uri.resolve("/readyz")));
                }
            };
            Service telemetryService = new NamedService("telemetry", 100) {
                @Override
                public void start(ServiceContext context) {
                    context.publish(OpenTelemetry.class, telemetry.sdk);
                }
            };
            List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
            keys.addAll(HttpKeys.ALL);
            Config config = Config.of(keys, Map.of("http.address", "127.0.0.1", "http.port", "0",
                    "error.rate", "0", "work.scale", "0"));
            ServiceHost host = new ServiceHost(List.of(plugin(new HttpService()), plugin(prober),
                    plugin(telemetryService)), config);
            try {
                host.start();
                assertEquals(List.of(new Http.Response(503, "starting")), whileStarting);
                URI uri = published.get(0);
                assertEquals(new Http.Response(200, "ready"), Http.get(uri.resolve("/readyz")));
                assertEquals(200, Http.get(uri.resolve("/helloworld")).status());
                assertTrue(telemetry.awaitSpans(s -> s.stream().anyMatch(span -> span.getName().equals("handle/hello_world")),
                        "handle/hello_world through the published SDK").size() >= 1);
            } finally {
                host.stop();
            }
        }
    }

    @Test
    void rejectsAnErrorRateOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TestContext(Map.of("error.rate", "1.5")));
        assertEquals("invalid value '1.5' for --error-rate: expected a number from 0 to 1", e.getMessage());
    }

    // ---- helpers ----

    private CompletableFuture<Http.Response> getAsync(URI uri) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Http.get(uri);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, clients);
    }

    /** Threads inside do_something, of servers started by this test (earlier tests' may still be ending). */
    private long threadsInsideDoSomething() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> !threadsBefore.contains(e.getKey()))
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f ->
                        f.getClassName().equals(CpuWork.class.getName()) && f.getMethodName().equals("doSomething")))
                .count();
    }

    /** Live threads named like the server's; compared as objects, since every server reuses the names. */
    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(ServerLimits.THREAD_NAME + " "))
                .collect(Collectors.toSet());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        awaitTrue(condition, Duration.ofSeconds(10), what);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected within " + timeout.toMillis() + " ms: " + what.get());
            }
            Thread.sleep(5);
        }
    }

    /** Sends a GET on a kept-alive connection and reads one whole response; returns its status line. */
    private static String exchange(Socket socket, String path) throws IOException {
        return request(socket, "GET", path).lines().findFirst().orElse("");
    }

    /**
     * Sends {@code method path} on a kept-alive connection and reads one whole response (no body
     * for HEAD); returns its head, status line and headers.
     */
    private static String request(Socket socket, String method, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int length = head.lines()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
        if (!method.equals("HEAD")) {
            in.readNBytes(length);
        }
        return head;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after '" + head + "'");
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** The next byte, or -1 when the server closed or reset the connection. */
    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    private static boolean canConnect(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static Plugin plugin(Service service) {
        return new Plugin(service, "test", "test");
    }

    private abstract static class NamedService implements Service {
        private final String name;
        private final int priority;

        NamedService(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public void stop() {}
    }
}
