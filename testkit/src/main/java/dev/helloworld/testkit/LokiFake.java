package dev.helloworld.testkit;

import static dev.helloworld.core.json.Json.quote;
import static dev.helloworld.testkit.QueryAnswers.answer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loki's query API over what an {@link OtlpReceiver} received, as Loki 3 stores OTLP logs: the
 * resource's {@code service.name} becomes the index label {@code service_name}; the other
 * resource attributes, the record's attributes and its {@code trace_id} and {@code span_id}
 * become structured metadata, dots turned to underscores (grafana.com/docs/loki/latest/send-data/otel,
 * "Format considerations"). {@code GET /loki/api/v1/query_range} answers
 * {@code {"status":"success","data":{"resultType":"streams","result":[{"stream":{...},"values":[["<ns>","<line>"]]}]}}}
 * (grafana.com/docs/loki/latest/reference/loki-http-api, "Query logs within a range of time"),
 * with structured metadata merged into each stream's labels, as Loki does unless asked to
 * categorize them (grafana/loki#10419).
 *
 * <p>Only the LogQL this project's read-back sends is understood: {@code {service_name="x"}} or
 * {@code {service_name=~".+"}}, then {@code | label="value"}; anything else is a 400 as Loki
 * answers a parse error. Faults of a pipeline are made here: trace ids dropped, a service renamed.
 */
public final class LokiFake implements AutoCloseable {

    /** What the pipeline in front of this Loki does wrong. */
    public record Faults(boolean dropTraceIds, String renameService) {
        public static Faults none() {
            return new Faults(false, "");
        }
    }

    private static final Pattern QUERY = Pattern.compile(
            "\\{service_name(=|=~)\"([^\"]*)\"}\\s*\\|\\s*([a-z_]+)=\"([^\"]*)\"");

    private final OtlpReceiver collector;
    private final Faults faults;
    private final HttpServer server;

    private LokiFake(OtlpReceiver collector, Faults faults) throws IOException {
        this.collector = collector;
        this.faults = faults;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/loki/api/v1/query_range", this::queryRange);
        server.start();
    }

    public static LokiFake start(OtlpReceiver collector, Faults faults) {
        try {
            return new LokiFake(collector, faults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void queryRange(HttpExchange exchange) throws IOException {
        String query = parameters(exchange.getRequestURI().getRawQuery()).getOrDefault("query", "");
        Matcher m = QUERY.matcher(query);
        if (!m.matches()) {
            answer(exchange, 400, "parse error : syntax error: unexpected query " + query);
            return;
        }
        boolean any = m.group(1).equals("=~") && m.group(2).equals(".+");
        Map<Map<String, String>, List<String>> streams = new LinkedHashMap<>();
        for (Map.Entry<Map<String, String>, String> entry : entries()) {
            Map<String, String> labels = entry.getKey();
            if ((any || m.group(2).equals(labels.get("service_name"))) && m.group(4).equals(labels.get(m.group(3)))) {
                streams.computeIfAbsent(labels, l -> new ArrayList<>()).add(entry.getValue());
            }
        }
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
        int i = 0;
        for (Map.Entry<Map<String, String>, List<String>> stream : streams.entrySet()) {
            json.append(i++ == 0 ? "" : ",").append("{\"stream\":{");
            int j = 0;
            for (Map.Entry<String, String> label : stream.getKey().entrySet()) {
                json.append(j++ == 0 ? "" : ",").append(quote(label.getKey())).append(':').append(quote(label.getValue()));
            }
            json.append("},\"values\":[").append(String.join(",", stream.getValue())).append("]}");
        }
        json.append("],\"stats\":{}}}");
        answer(exchange, 200, json.toString());
    }

    /** Every record received so far: its labels as a query answer shows them, and its {@code ["<ns>","<line>"]}. */
    private List<Map.Entry<Map<String, String>, String>> entries() {
        List<Map.Entry<Map<String, String>, String>> out = new ArrayList<>();
        for (ExportLogsServiceRequest request : collector.logsRequests()) {
            for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
                Map<String, String> resource = new TreeMap<>();
                for (KeyValue kv : resourceLogs.getResource().getAttributesList()) {
                    resource.put(kv.getKey().replace('.', '_'), OtlpReceiver.text(kv.getValue()));
                }
                if (!faults.renameService().isEmpty()) {
                    resource.put("service_name", faults.renameService());
                }
                for (ScopeLogs scope : resourceLogs.getScopeLogsList()) {
                    for (LogRecord record : scope.getLogRecordsList()) {
                        Map<String, String> labels = new TreeMap<>(resource);
                        record.getAttributesList().forEach(kv -> labels.put(kv.getKey().replace('.', '_'),
                                OtlpReceiver.text(kv.getValue())));
                        if (!faults.dropTraceIds() && !record.getTraceId().isEmpty()) {
                            labels.put("trace_id", OtlpReceiver.hex(record.getTraceId()));
                            labels.put("span_id", OtlpReceiver.hex(record.getSpanId()));
                        }
                        out.add(Map.entry(labels, "[" + quote(Long.toString(record.getTimeUnixNano())) + ","
                                + quote(OtlpReceiver.text(record.getBody())) + "]"));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> parameters(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
