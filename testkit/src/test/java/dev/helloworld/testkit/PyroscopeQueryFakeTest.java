package dev.helloworld.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helloworld.core.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake's flame graphs, encoded as grafana/pyroscope's {@code NewFlameGraph} encodes them. */
class PyroscopeQueryFakeTest {

    @Test
    void mergesStacksLevelByLevelWithOffsetsFromThePreviousNodesEnd() {
        String graph = PyroscopeQueryFake.FlameGraph.of(List.of(
                List.of("a", "b"), List.of("a", "b"), List.of("a", "c"), List.of("d")), 10);

        assertEquals("{\"names\":[\"total\",\"a\",\"b\",\"c\",\"d\"],\"levels\":["
                + "{\"values\":[\"0\",\"40\",\"0\",\"0\"]},"
                + "{\"values\":[\"0\",\"30\",\"0\",\"1\",\"0\",\"10\",\"10\",\"4\"]},"
                + "{\"values\":[\"0\",\"20\",\"20\",\"2\",\"0\",\"10\",\"10\",\"3\"]}],"
                + "\"total\":\"40\",\"maxSelf\":\"20\"}", graph);
    }

    @Test
    void placesANodesChildrenAfterItsSelf() {
        String graph = PyroscopeQueryFake.FlameGraph.of(List.of(List.of("a"), List.of("a", "b")), 10);

        assertEquals("{\"names\":[\"total\",\"a\",\"b\"],\"levels\":["
                + "{\"values\":[\"0\",\"20\",\"0\",\"0\"]},"
                + "{\"values\":[\"0\",\"20\",\"10\",\"1\"]},"
                + "{\"values\":[\"10\",\"10\",\"10\",\"2\"]}],"
                + "\"total\":\"20\",\"maxSelf\":\"10\"}", graph);
    }

    @Test
    void answersNoDataAsTheRootAloneWithItsZerosLeftOut() {
        assertEquals("{\"names\":[\"total\"],\"levels\":[{\"values\":[\"0\",\"0\",\"0\",\"0\"]}]}",
                PyroscopeQueryFake.FlameGraph.of(List.of(), 10));
    }

    /**
     * What grafana/pyroscope answers over Connect's JSON codec when nothing matches: the flame graph
     * of an empty tree without its zero {@code total} and {@code maxSelf}, and no {@code names} at all.
     */
    @Test
    void answersQueriesOverNothingAsPyroscopesConnectJsonDoes() throws Exception {
        try (PyroscopeReceiver receiver = PyroscopeReceiver.start();
                PyroscopeQueryFake fake = PyroscopeQueryFake.start(receiver, PyroscopeQueryFake.Faults.none())) {
            String window = "\"start\":\"1700000000000\",\"end\":\"1700000060000\"";

            HttpResponse<String> graph = post(fake.baseUri(), "SelectMergeStacktraces", "{\"profileTypeID\":\""
                    + PyroscopeQueryFake.CPU + "\",\"labelSelector\":\"{service_name=\\\"shop\\\"}\"," + window + "}");
            HttpResponse<String> names = post(fake.baseUri(), "LabelValues", "{\"name\":\"service_name\"," + window + "}");
            HttpResponse<String> malformed = post(fake.baseUri(), "LabelValues", "{\"name\":");

            assertEquals(200, graph.statusCode(), graph.body());
            assertEquals(Map.of("flamegraph", Map.of("names", List.of("total"),
                    "levels", List.of(Map.of("values", List.of("0", "0", "0", "0"))))), Json.parse(graph.body()));
            assertEquals(200, names.statusCode(), names.body());
            assertEquals(Map.of(), Json.parse(names.body()));
            assertEquals(400, malformed.statusCode(), malformed.body());
            assertEquals("invalid_argument", ((Map<?, ?>) Json.parse(malformed.body())).get("code"));
        }
    }

    private static HttpResponse<String> post(URI base, String method, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/querier.v1.QuerierService/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
