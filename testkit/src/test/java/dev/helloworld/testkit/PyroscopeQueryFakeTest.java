package dev.helloworld.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
}
