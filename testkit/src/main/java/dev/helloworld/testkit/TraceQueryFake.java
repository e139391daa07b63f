package dev.helloworld.testkit;

import static dev.helloworld.core.json.Json.quote;
import static dev.helloworld.testkit.QueryAnswers.answer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * The trace-by-id query API of Tempo or of Jaeger over what an {@link OtlpReceiver} received:
 * {@code GET /api/traces/{traceId}}, 404 until a span of the trace has arrived.
 *
 * <p>Tempo answers the trace as OTLP JSON, {@code {"batches":[{"resource":{"attributes":[...]},
 * "scopeSpans":[{"scope":{...},"spans":[{"traceId":...,"spanId":...,"name":...}]}]}]}}, ids base64
 * as protobuf JSON writes bytes (grafana/tempo docs, "Query by trace ID"; the model of
 * grafana/oats internal/testhelpers/tempo/responses/models.go). Jaeger's API v1 answers
 * {@code {"data":[{"traceID":...,"spans":[{"traceID":...,"spanID":...,"operationName":...,
 * "references":[],"processID":"p1"}],"processes":{"p1":{"serviceName":...,"tags":[]}}}],
 * "total":0,"limit":0,"offset":0,"errors":null}} with hex ids (jaegertracing/jaeger
 * model/json/model.go), and for an unknown trace 404 with {@code "errors":[{"code":404,"msg":"trace not found"}]}.
 *
 * <p>Faults of a pipeline are made here: spans it loses ({@code keep}), a service it renames.
 */
public final class TraceQueryFake implements AutoCloseable {

    /** Which API to speak. */
    public enum Flavour { TEMPO, JAEGER }

    private final OtlpReceiver collector;
    private final Flavour flavour;
    private final Predicate<Span> keep;
    private final String renameService;
    private final HttpServer server;

    private TraceQueryFake(OtlpReceiver collector, Flavour flavour, Predicate<Span> keep, String renameService)
            throws IOException {
        this.collector = collector;
        this.flavour = flavour;
        this.keep = keep;
        this.renameService = renameService;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/traces/", this::trace);
        server.start();
    }

    /** @param renameService the service name every span is stored under instead of its own; empty for its own */
    public static TraceQueryFake start(OtlpReceiver collector, Flavour flavour, Predicate<Span> keep, String renameService) {
        try {
            return new TraceQueryFake(collector, flavour, keep, renameService);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void trace(HttpExchange exchange) throws IOException {
        String traceId = exchange.getRequestURI().getPath().substring("/api/traces/".length());
        List<String> resources = new ArrayList<>();
        List<String> jaegerSpans = new ArrayList<>();
        for (ExportTraceServiceRequest request : collector.traceRequests()) {
            for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
                String service = renameService.isEmpty()
                        ? OtlpReceiver.attribute(resourceSpans.getResource(), "service.name").orElse("") : renameService;
                List<String> spans = new ArrayList<>();
                for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        if (OtlpReceiver.hex(span.getTraceId()).equals(traceId) && keep.test(span)) {
                            spans.add(flavour == Flavour.TEMPO ? tempoSpan(span) : jaegerSpan(span));
                        }
                    }
                }
                if (spans.isEmpty()) {
                    continue;
                }
                if (flavour == Flavour.TEMPO) {
                    resources.add("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":"
                            + quote(service) + "}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"helloworld\"},\"spans\":["
                            + String.join(",", spans) + "]}]}");
                } else {
                    jaegerSpans.addAll(spans);
                    resources.add(service);
                }
            }
        }
        if (resources.isEmpty()) {
            answer(exchange, 404, flavour == Flavour.TEMPO ? "trace not found"
                    : "{\"data\":null,\"total\":0,\"limit\":0,\"offset\":0,\"errors\":[{\"code\":404,\"msg\":\"trace not found\"}]}");
            return;
        }
        if (flavour == Flavour.TEMPO) {
            answer(exchange, 200, "{\"batches\":[" + String.join(",", resources) + "]}");
        } else {
            // One process per service, as Jaeger's model/json does; here every span shares the first.
            answer(exchange, 200, "{\"data\":[{\"traceID\":" + quote(traceId) + ",\"spans\":[" + String.join(",", jaegerSpans)
                    + "],\"processes\":{\"p1\":{\"serviceName\":" + quote(resources.get(0)) + ",\"tags\":[]}},\"warnings\":null}],"
                    + "\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
        }
    }

    private static String tempoSpan(Span span) {
        Base64.Encoder base64 = Base64.getEncoder();
        return "{\"traceId\":" + quote(base64.encodeToString(span.getTraceId().toByteArray()))
                + ",\"spanId\":" + quote(base64.encodeToString(span.getSpanId().toByteArray()))
                + (span.getParentSpanId().isEmpty() ? "" : ",\"parentSpanId\":"
                        + quote(base64.encodeToString(span.getParentSpanId().toByteArray())))
                + ",\"name\":" + quote(span.getName()) + ",\"kind\":" + quote(span.getKind().name())
                + ",\"startTimeUnixNano\":\"" + span.getStartTimeUnixNano() + "\",\"endTimeUnixNano\":\""
                + span.getEndTimeUnixNano() + "\"}";
    }

    private static String jaegerSpan(Span span) {
        String references = span.getParentSpanId().isEmpty() ? "[]" : "[{\"refType\":\"CHILD_OF\",\"traceID\":"
                + quote(OtlpReceiver.hex(span.getTraceId())) + ",\"spanID\":" + quote(OtlpReceiver.hex(span.getParentSpanId())) + "}]";
        return "{\"traceID\":" + quote(OtlpReceiver.hex(span.getTraceId())) + ",\"spanID\":" + quote(OtlpReceiver.hex(span.getSpanId()))
                + ",\"operationName\":" + quote(span.getName()) + ",\"references\":" + references
                + ",\"startTime\":" + span.getStartTimeUnixNano() / 1000 + ",\"duration\":"
                + Math.max(1, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1000)
                + ",\"tags\":[],\"logs\":[],\"processID\":\"p1\",\"warnings\":null}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
