package dev.helloworld.verify;

import dev.helloworld.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One series of an instant query's answer, as Prometheus's HTTP API writes it:
 * {@code {"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":...},
 * "value":[<unix seconds>,"<value>"]}]}}} (prometheus.io/docs/prometheus/latest/querying/api,
 * "Instant queries" and "Instant vectors").
 */
record PrometheusSeries(String name, Map<String, String> labels, double value) {

    @SuppressWarnings("unchecked")
    static List<PrometheusSeries> parseVector(String body) {
        Map<String, Object> answer = (Map<String, Object>) Json.parse(body);
        Map<String, Object> data = (Map<String, Object>) answer.get("data");
        List<PrometheusSeries> series = new ArrayList<>();
        for (Object o : (List<Object>) data.get("result")) {
            Map<String, Object> one = (Map<String, Object>) o;
            Map<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) one.get("metric")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            String name = labels.remove("__name__");
            List<Object> value = (List<Object>) one.get("value");
            series.add(new PrometheusSeries(name == null ? "" : name, labels, Double.parseDouble((String) value.get(1))));
        }
        return series;
    }
}
