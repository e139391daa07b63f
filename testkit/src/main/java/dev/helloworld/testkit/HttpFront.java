package dev.helloworld.testkit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.zip.GZIPInputStream;

/** OTLP/HTTP with protobuf bodies: {@code POST /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}. */
final class HttpFront {

    private interface Decoder {
        Message decode(byte[] body) throws InvalidProtocolBufferException;
    }

    private record Route(String signal, Decoder decoder, Message response) {}

    private static final Map<String, Route> ROUTES = Map.of(
            "/v1/traces", new Route(OtlpReceiver.TRACES, ExportTraceServiceRequest::parseFrom,
                    ExportTraceServiceResponse.getDefaultInstance()),
            "/v1/metrics", new Route(OtlpReceiver.METRICS, ExportMetricsServiceRequest::parseFrom,
                    ExportMetricsServiceResponse.getDefaultInstance()),
            "/v1/logs", new Route(OtlpReceiver.LOGS, ExportLogsServiceRequest::parseFrom,
                    ExportLogsServiceResponse.getDefaultInstance()));

    private final HttpServer server;
    private final ExecutorService executor;
    private final int port;

    private HttpFront(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.port = server.getAddress().getPort();
    }

    static HttpFront start(int port, TlsMaterial tls, ToIntFunction<OtlpReceiver.Received> sink,
            Function<String, ScriptedAnswer> scripted) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        HttpServer server;
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
            server = https;
        }
        // A thread per request, so that requests held by hang() never block the others.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "otlp-receiver-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, sink, scripted);
            }
        });
        server.start();
        return new HttpFront(server, executor);
    }

    int port() {
        return port;
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void handle(HttpExchange exchange, ToIntFunction<OtlpReceiver.Received> sink,
            Function<String, ScriptedAnswer> scripted) throws IOException {
        Route route = ROUTES.get(exchange.getRequestURI().getPath());
        if (route == null) {
            reply(exchange, 404, "no OTLP signal at " + exchange.getRequestURI().getPath());
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            reply(exchange, 405, "OTLP/HTTP takes POST, not " + exchange.getRequestMethod());
            return;
        }
        Map<String, String> headers = headers(exchange);
        String contentType = headers.getOrDefault("content-type", "");
        if (!contentType.startsWith("application/x-protobuf")) {
            reply(exchange, 415, "this receiver decodes application/x-protobuf only, not '" + contentType + "'");
            return;
        }
        Message request;
        try {
            request = route.decoder().decode(body(exchange, headers.getOrDefault("content-encoding", "")));
        } catch (IOException e) {
            reply(exchange, 400, "not an OTLP " + route.signal() + " request: " + e.getMessage());
            return;
        }
        ScriptedAnswer answer = scripted.apply(route.signal());
        if (answer != null && answer.refuses()) {
            reply(exchange, answer.httpStatus(), answer.message());
            return;
        }
        int status = sink.applyAsInt(new OtlpReceiver.Received(OtlpReceiver.HTTP, route.signal(), headers, request));
        if (status == Gate.ACCEPT) {
            byte[] response = (answer == null ? route.response() : answer.response(route.signal())).toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        } else {
            reply(exchange, status, "refused by the test's OTLP receiver");
        }
    }

    private static byte[] body(HttpExchange exchange, String encoding) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (encoding.equalsIgnoreCase("gzip")) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            }
        }
        throw new IOException("unsupported Content-Encoding '" + encoding + "'");
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
            headers.put(e.getKey().toLowerCase(Locale.ROOT), String.join(",", e.getValue()));
        }
        return headers;
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
