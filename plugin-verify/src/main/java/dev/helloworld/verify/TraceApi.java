package dev.helloworld.verify;

import dev.helloworld.core.json.Json;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A trace store's query API for one trace by id, and how its answer lists spans and services. */
enum TraceApi {

    /**
     * Zipkin API v2, {@code GET /api/v2/trace/{traceId}}: 404 until stored, then a JSON array of
     * spans, each with {@code id} and {@code localEndpoint.serviceName} (zipkin-api,
     * zipkin2-api.yaml). Zipkin stores service names in lower case.
     */
    ZIPKIN("Zipkin", "/api/v2/trace/", true, "a collector's zipkin exporter") {
        @Override
        StoredTraces.Stored parse(String body) {
            Set<String> ids = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (Object o : list(Json.parse(body))) {
                Map<String, Object> span = map(o);
                ids.add(String.valueOf(span.get("id")));
                if (span.get("localEndpoint") instanceof Map<?, ?> local && local.get("serviceName") instanceof String name) {
                    services.add(name);
                }
            }
            return new StoredTraces.Stored(ids, services);
        }
    },

    /**
     * Tempo, {@code GET /api/traces/{traceId}}: 404 until stored, then the trace as OTLP JSON,
     * {@code {"batches":[{"resource":{"attributes":[...]},"scopeSpans":[{"spans":[{"spanId":...}]}]}]}}
     * with ids as protobuf JSON writes bytes, base64 (grafana/tempo docs, "Query by trace ID";
     * grafana/oats internal/testhelpers/tempo/responses/models.go). Older Tempos name the span
     * lists {@code instrumentationLibrarySpans}.
     */
    TEMPO("Tempo", "/api/traces/", false, "a collector's otlp exporter to Tempo") {
        @Override
        StoredTraces.Stored parse(String body) {
            Set<String> ids = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (Object b : list(map(Json.parse(body)).get("batches"))) {
                Map<String, Object> batch = map(b);
                for (Object a : list(map(batch.get("resource")).get("attributes"))) {
                    Map<String, Object> attribute = map(a);
                    if ("service.name".equals(attribute.get("key"))) {
                        services.add(String.valueOf(map(attribute.get("value")).get("stringValue")));
                    }
                }
                Object scopes = batch.containsKey("scopeSpans") ? batch.get("scopeSpans") : batch.get("instrumentationLibrarySpans");
                for (Object scope : list(scopes)) {
                    for (Object span : list(map(scope).get("spans"))) {
                        ids.add(hexId(String.valueOf(map(span).get("spanId"))));
                    }
                }
            }
            return new StoredTraces.Stored(ids, services);
        }
    },

    /**
     * Jaeger's query API v1 (the UI's JSON), {@code GET /api/traces/{traceId}}: 404 until stored,
     * then {@code {"data":[{"traceID":...,"spans":[{"spanID":...,"processID":"p1"}],
     * "processes":{"p1":{"serviceName":...}}}]}} with hex ids (jaegertracing/jaeger,
     * cmd/query/app/http_handler.go and model/json/model.go).
     */
    JAEGER("Jaeger", "/api/traces/", false, "a collector's otlp exporter to Jaeger") {
        @Override
        StoredTraces.Stored parse(String body) {
            Set<String> ids = new HashSet<>();
            Set<String> services = new HashSet<>();
            for (Object t : list(map(Json.parse(body)).get("data"))) {
                Map<String, Object> trace = map(t);
                Map<String, Object> processes = map(trace.get("processes"));
                for (Object s : list(trace.get("spans"))) {
                    Map<String, Object> span = map(s);
                    ids.add(hexId(String.valueOf(span.get("spanID"))));
                    if (processes.get(String.valueOf(span.get("processID"))) instanceof Map<?, ?> process
                            && process.get("serviceName") instanceof String name) {
                        services.add(name);
                    }
                }
            }
            return new StoredTraces.Stored(ids, services);
        }
    };

    private final String title;
    private final String path;
    private final boolean lowerCaseServices;
    private final String howToSend;

    TraceApi(String title, String path, boolean lowerCaseServices, String howToSend) {
        this.title = title;
        this.path = path;
        this.lowerCaseServices = lowerCaseServices;
        this.howToSend = howToSend;
    }

    String title() {
        return title;
    }

    /** The path before the trace id. */
    String path() {
        return path;
    }

    boolean lowerCaseServices() {
        return lowerCaseServices;
    }

    String howToSend() {
        return howToSend;
    }

    /** The spans and services of a 200 answer. */
    abstract StoredTraces.Stored parse(String body);

    /** A span id as SpanContext writes it: lower-case hex; base64 (protobuf JSON) is decoded. */
    static String hexId(String id) {
        if (id.matches("[0-9a-fA-F]{16}")) {
            return id.toLowerCase(java.util.Locale.ROOT);
        }
        try {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(id));
        } catch (IllegalArgumentException e) {
            return id;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
