import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * A standalone OTLP/HTTP (protobuf) and Pyroscope receiver for the benchmarks: it answers every
 * export with 200 and counts what arrived, and forgets the data. The testkit's OtlpReceiver keeps
 * every decoded request in memory, which a 60 s run at 2 000 req/s (half a million spans) cannot
 * afford, and decodes them fully, which would take CPU from the service on a 2-core machine.
 *
 * <p>Spans and log records are counted by walking the protobuf wire format along the field numbers
 * of opentelemetry-proto (request, resource, scope, item) without building objects. Metrics, a
 * few requests a minute, are decoded in full: the SDK's own counters {@code processedSpans} and
 * {@code processedLogs} with {@code dropped=true} are how the batch processors report what they
 * dropped.
 *
 * <p>Run: java -cp protobuf-java.jar:opentelemetry-proto.jar CountingReceiver.java PORT_FILE
 * It listens on a free port of 127.0.0.1, writes the port to PORT_FILE, answers
 * {@code GET /counts} with one {@code name value} line per counter, and sets them all back to
 * zero on {@code POST /reset}.
 */
public class CountingReceiver {

    private static final int[] SPANS = {ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER,
            ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, ScopeSpans.SPANS_FIELD_NUMBER};
    private static final int[] LOG_RECORDS = {ExportLogsServiceRequest.RESOURCE_LOGS_FIELD_NUMBER,
            ResourceLogs.SCOPE_LOGS_FIELD_NUMBER, ScopeLogs.LOG_RECORDS_FIELD_NUMBER};

    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    /** The newest value of the SDK's cumulative self-monitoring counters, by name and attributes. */
    private static final Map<String, Long> SDK_COUNTERS = new ConcurrentHashMap<>();

    /**
     * With a second argument {@code decode}: traces and logs are decoded in full, as a collector
     * does, and counted from the decoded objects. It costs CPU that a real collector costs too,
     * which on a shared machine slows the service's exporter (issue 15 measured the difference).
     */
    private static boolean decode;

    public static void main(String[] args) throws Exception {
        decode = args.length > 1 && args[1].equals("decode");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", CountingReceiver::handle);
        server.start();
        Files.writeString(Path.of(args[0]), String.valueOf(server.getAddress().getPort()));
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/counts")) {
                respond(exchange, "text/plain", counts().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (exchange.getRequestMethod().equals("POST") && path.equals("/reset")) {
                // Between two services: the SDK reports a dropped=true series only once it drops.
                COUNTS.clear();
                SDK_COUNTERS.clear();
                respond(exchange, "text/plain", new byte[0]);
                return;
            }
            byte[] body = body(exchange);
            add("bytes", body.length);
            switch (path) {
                case "/v1/traces" -> {
                    add("trace_requests", 1);
                    add("spans", decode ? ExportTraceServiceRequest.parseFrom(body).getResourceSpansList().stream()
                            .flatMap(r -> r.getScopeSpansList().stream()).mapToLong(ScopeSpans::getSpansCount).sum()
                            : count(body, SPANS));
                }
                case "/v1/logs" -> {
                    add("log_requests", 1);
                    add("log_records", decode ? ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream()
                            .flatMap(r -> r.getScopeLogsList().stream()).mapToLong(ScopeLogs::getLogRecordsCount).sum()
                            : count(body, LOG_RECORDS));
                }
                case "/v1/metrics" -> {
                    add("metric_requests", 1);
                    readSdkCounters(ExportMetricsServiceRequest.parseFrom(body));
                }
                default -> add(path.endsWith("/ingest") ? "profiles" : "other_requests", 1);
            }
            // An empty Export*ServiceResponse is zero bytes: full success.
            respond(exchange, "application/x-protobuf", new byte[0]);
        } catch (RuntimeException | IOException e) {
            add("bad_requests", 1);
            System.err.println("receiver: " + e);
        }
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        return in.readAllBytes();
    }

    private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** How many length-delimited fields sit at the end of {@code path} (field numbers from the root). */
    static long count(byte[] message, int[] path) throws IOException {
        return countAt(CodedInputStream.newInstance(message), path, 0);
    }

    private static long countAt(CodedInputStream in, int[] path, int depth) throws IOException {
        long n = 0;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            boolean onPath = WireFormat.getTagFieldNumber(tag) == path[depth]
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            if (!onPath) {
                in.skipField(tag);
            } else if (depth == path.length - 1) {
                in.skipField(tag);
                n++;
            } else {
                int limit = in.pushLimit(in.readRawVarint32());
                n += countAt(in, path, depth + 1);
                in.popLimit(limit);
            }
        }
        return n;
    }

    private static void readSdkCounters(ExportMetricsServiceRequest request) {
        request.getResourceMetricsList().stream()
                .flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream())
                .filter(m -> m.getName().equals("processedSpans") || m.getName().equals("processedLogs"))
                .filter(Metric::hasSum)
                .forEach(m -> {
                    for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                        String dropped = p.getAttributesList().stream()
                                .filter(kv -> kv.getKey().equals("dropped"))
                                .map(KeyValue::getValue).map(v -> String.valueOf(v.getBoolValue()))
                                .findFirst().orElse("unknown");
                        SDK_COUNTERS.put("sdk_" + m.getName() + "_dropped_" + dropped, p.getAsInt());
                    }
                });
    }

    private static void add(String name, long n) {
        COUNTS.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }

    private static String counts() {
        Map<String, Long> all = new TreeMap<>();
        COUNTS.forEach((k, v) -> all.put(k, v.get()));
        all.putAll(SDK_COUNTERS);
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        return text.toString();
    }
}
