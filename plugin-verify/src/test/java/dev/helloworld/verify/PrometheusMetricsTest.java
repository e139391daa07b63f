package dev.helloworld.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the manifest's points meet Prometheus's series: names and labels as the exporter writes them. */
class PrometheusMetricsTest {

    private static final List<Manifest.MetricPoint> EXPECTED = List.of(
            Manifest.MetricPoint.sum("requests_total", Map.of("country", "Japan"), 7L, List.of()),
            Manifest.MetricPoint.histogram("http.server.request.duration",
                    new java.util.TreeMap<>(Map.of("http.route", "/helloworld", "http.response.status_code", "200")), 4, 0.5,
                    List.of()));

    private static PrometheusSeries series(String name, Map<String, String> labels, double value) {
        return new PrometheusSeries(name, labels, value);
    }

    @Test
    void findsCountersAndHistogramCountsUnderTheExportersNamesWhateverTheScrapeAdds() {
        List<PrometheusSeries> stored = List.of(
                series("requests_total", Map.of("country", "Japan", "job", "helloworld", "instance", "h:9464",
                        "helloworld_run_id", "abc", "otel_scope_name", "dev.helloworld.http"), 7),
                series("http_server_request_duration_seconds_count", Map.of("http_route", "/helloworld",
                        "http_response_status_code", "200", "job", "helloworld"), 4));

        assertEquals(List.of(), PrometheusMetrics.mismatches(EXPECTED, stored));
    }

    @Test
    void namesAMissingPointAndAValueThatDiffers() {
        List<PrometheusSeries> stored = List.of(series("requests_total", Map.of("country", "Japan"), 5));

        assertEquals(List.of("requests_total{country=Japan} is 5.0, sent 7.0",
                        "http_server_request_duration_count{http.response.status_code=200, http.route=/helloworld} missing"),
                PrometheusMetrics.mismatches(EXPECTED, stored));
    }

    @Test
    void anAttributeTheSeriesLacksIsAnotherSeries() {
        List<PrometheusSeries> stored = List.of(series("requests_total", Map.of(), 7));

        assertEquals(List.of("requests_total{country=Japan} missing",
                        "http_server_request_duration_count{http.response.status_code=200, http.route=/helloworld} missing"),
                PrometheusMetrics.mismatches(EXPECTED, stored));
    }

    @Test
    void readsAnInstantVectorAsTheHttpApiWritesIt() {
        // The example answer of prometheus.io/docs/prometheus/latest/querying/api ("Instant queries").
        String body = """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},"value":[1435781451.781,"1"]},
                  {"metric":{"__name__":"up","job":"node","instance":"localhost:9100"},"value":[1435781451.781,"0"]}]}}""";

        assertEquals(List.of(series("up", Map.of("job", "prometheus", "instance", "localhost:9090"), 1),
                        series("up", Map.of("job", "node", "instance", "localhost:9100"), 0)),
                PrometheusSeries.parseVector(body));
    }
}
