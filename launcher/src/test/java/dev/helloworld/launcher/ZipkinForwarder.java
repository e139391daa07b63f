package dev.helloworld.launcher;

import static dev.helloworld.testkit.OtlpReceiver.hex;

import dev.helloworld.core.json.Json;
import dev.helloworld.testkit.OtlpReceiver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The in-test collector's traces passed on to a Zipkin server as a collector's zipkin exporter
 * does: each span as Zipkin's JSON v2 ({@code POST /api/v2/spans}), the resource's
 * {@code service.name} as {@code localEndpoint.serviceName}. The SDK's own Zipkin exporter cannot
 * be had with SDK 1.68 (its last release, 1.62, needs enum constants that 1.68 removed).
 *
 * <p>A pipeline's faults are made here: spans it loses ({@code keep}), a service it renames.
 */
final class ZipkinForwarder implements AutoCloseable {

    private final OtlpReceiver collector;
    private final URI spans;
    private final Predicate<Span> keep;
    private final UnaryOperator<String> service;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String failure = "";

    private ZipkinForwarder(OtlpReceiver collector, URI zipkin, Predicate<Span> keep, UnaryOperator<String> service) {
        this.collector = collector;
        this.spans = zipkin.resolve("/api/v2/spans");
        this.keep = keep;
        this.service = service;
        this.thread = new Thread(this::forward, "zipkin-forwarder");
        thread.setDaemon(true);
    }

    static ZipkinForwarder start(OtlpReceiver collector, URI zipkin, Predicate<Span> keep, UnaryOperator<String> service) {
        ZipkinForwarder forwarder = new ZipkinForwarder(collector, zipkin, keep, service);
        forwarder.thread.start();
        return forwarder;
    }

    static ZipkinForwarder faithful(OtlpReceiver collector, URI zipkin) {
        return start(collector, zipkin, span -> true, name -> name);
    }

    /** Passes on each request the collector accepted, once, as it arrives, until closed. */
    private void forward() {
        int done = 0;
        while (running) {
            List<ExportTraceServiceRequest> requests = collector.traceRequests();
            for (; done < requests.size(); done++) {
                post(zipkinJson(requests.get(done)));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void post(String json) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(spans).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                failure = "zipkin answered " + answer.statusCode() + ": " + answer.body();
            }
        } catch (IOException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String zipkinJson(ExportTraceServiceRequest request) {
        List<String> out = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String name = service.apply(OtlpReceiver.attribute(resourceSpans.getResource(), "service.name").orElse(""));
            for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                scope.getSpansList().stream().filter(keep).forEach(span -> out.add(zipkinSpan(span, name)));
            }
        }
        return "[" + String.join(",", out) + "]";
    }

    private static String zipkinSpan(Span span, String serviceName) {
        StringBuilder json = new StringBuilder("{\"traceId\":\"").append(hex(span.getTraceId()))
                .append("\",\"id\":\"").append(hex(span.getSpanId())).append('"');
        if (!span.getParentSpanId().isEmpty()) {
            json.append(",\"parentId\":\"").append(hex(span.getParentSpanId())).append('"');
        }
        json.append(",\"name\":").append(Json.quote(span.getName()));
        switch (span.getKind()) {
            case SPAN_KIND_SERVER -> json.append(",\"kind\":\"SERVER\"");
            case SPAN_KIND_CLIENT -> json.append(",\"kind\":\"CLIENT\"");
            case SPAN_KIND_PRODUCER -> json.append(",\"kind\":\"PRODUCER\"");
            case SPAN_KIND_CONSUMER -> json.append(",\"kind\":\"CONSUMER\"");
            default -> { }
        }
        long start = span.getStartTimeUnixNano() / 1000;
        json.append(",\"timestamp\":").append(start)
                .append(",\"duration\":").append(Math.max(1, span.getEndTimeUnixNano() / 1000 - start))
                .append(",\"localEndpoint\":{\"serviceName\":").append(Json.quote(serviceName)).append('}');
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            json.append(",\"tags\":{\"error\":").append(Json.quote(span.getStatus().getMessage())).append('}');
        }
        return json.append('}').toString();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (!failure.isEmpty()) {
            throw new AssertionError("forwarding to zipkin failed: " + failure);
        }
    }
}
