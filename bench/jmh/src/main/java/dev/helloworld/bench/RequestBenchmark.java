package dev.helloworld.bench;

import com.sun.net.httpserver.HttpServer;
import dev.helloworld.core.config.Config;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.Plugins;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.logging.ConsoleLogging;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@code GET /helloworld} (work scale 0) through the real handler chain: the
 * server span wrapper ({@code ServerSpanHandler}) and the handler's own telemetry
 * ({@code HelloWorldHandler}: two log records, a counter, a histogram, three spans), against the
 * same chain with telemetry off. The difference between {@code telemetry=off} and the others is
 * what our telemetry code costs per request; {@code -prof gc} adds the bytes allocated per request
 * (by every thread, so the SDK's batch processors and the exporter count too).
 *
 * <p>The service runs in process as the launcher runs it (plugins found by ServiceLoader, the
 * host, the console log handler, writing to a null stream here), with the OTLP/HTTP exporter
 * sending to a sink in the same JVM that answers 200. The client is a plain socket on a kept-alive
 * connection, so that little besides the server is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xmx256m"})
public class RequestBenchmark {

    /**
     * off: no exporter, no signal. traces, logs: that signal alone. all: traces, metrics and logs.
     * Every trace is recorded (--trace-rate-limit 0), except with all-over-limit: all three
     * signals with a limit of one new trace a second, so that nearly every request is one that
     * comes over the limit at full load: served, logged to the console and counted, not traced.
     */
    @Param({"off", "traces", "logs", "all", "all-over-limit"})
    public String telemetry;

    /** The original's 0.1; 0 leaves out the error demo's exception (its stack trace is costly). */
    @Param({"0.1"})
    public String errorRate;

    private HttpServer sink;
    private ServiceHost host;
    int port;

    @Setup(Level.Trial)
    public void start() throws Exception {
        ConsoleLogging.install(new PrintStream(OutputStream.nullOutputStream()), false);
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        sink.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        sink.start();
        port = freePort();

        Map<String, String> flags = new HashMap<>(Map.of("http.address", "127.0.0.1", "http.port",
                String.valueOf(port), "work.scale", "0", "error.rate", errorRate));
        boolean all = telemetry.startsWith("all");
        flags.put("trace.rate.limit", telemetry.equals("all-over-limit") ? "1" : "0");
        flags.put("otlp.exporter", telemetry.equals("off") ? "none" : "http");
        flags.put("otlp.endpoint", "http://127.0.0.1:" + sink.getAddress().getPort());
        flags.put("enable.traces", String.valueOf(all || telemetry.equals("traces")));
        flags.put("enable.logs", String.valueOf(all || telemetry.equals("logs")));
        flags.put("enable.metrics", String.valueOf(all));
        List<Plugin> plugins = Plugins.discover(RequestBenchmark.class.getClassLoader()).stream()
                .filter(p -> Set.of("otlp", "http").contains(p.name())).toList();
        Config config = Config.of(Plugins.configKeys(plugins), flags);
        host = new ServiceHost(plugins, config);
        host.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        host.stop();
        sink.stop(0);
    }

    @Benchmark
    public int helloWorld(Client client) throws IOException {
        return client.get();
    }

    /** One kept-alive HTTP/1.1 connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Client {
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private byte[] request;

        @Setup(Level.Trial)
        public void connect(RequestBenchmark benchmark) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), benchmark.port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
            request = ("GET /helloworld HTTP/1.1\r\nHost: 127.0.0.1:" + benchmark.port
                    + "\r\nUser-Agent: jmh\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            socket.close();
        }

        /** Sends the request and reads the whole response; returns the status code. */
        int get() throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            in.skipNBytes(length);
            return Integer.parseInt(status.substring(9, 12));
        }

        private final StringBuilder line = new StringBuilder(64);

        private String line() throws IOException {
            line.setLength(0);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
