package dev.helloworld.verify;

import dev.helloworld.core.config.Secrets;
import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The run's metrics read back from Prometheus's HTTP API (or anything that speaks it: Mimir,
 * Thanos, VictoriaMetrics): {@code GET /api/v1/query} for every series with the run's
 * {@code helloworld_run_id} label, compared with the manifest's final values; the resource as
 * {@code target_info} for the identity; {@code GET /api/v1/query_exemplars} for the exemplars,
 * each of which must lead to a trace of the run.
 */
final class PrometheusMetrics {

    /** The metrics whose final values follow from the requests made; JVM counters move on after the run. */
    static final Set<String> KNOWN_ANSWERS = Set.of("requests_total", "task_execute_duration_seconds",
            "http.server.request.duration", "http.client.request.duration");

    /** Labels a scrape or the exporter adds, which the manifest's attributes do not have. */
    private static final Set<String> ADDED_LABELS = Set.of("job", "instance", "helloworld_run_id");

    private final QueryClient client;

    PrometheusMetrics(QueryClient client) {
        this.client = client;
    }

    List<SignalCheck> check(Manifest manifest, URI base, Deadline deadline) throws InterruptedException {
        List<Manifest.MetricPoint> expected = manifest.metrics().stream()
                .filter(p -> KNOWN_ANSWERS.contains(p.name())).toList();
        if (expected.isEmpty()) {
            return List.of(SignalCheck.skipped("metrics", "the run recorded no metric (metrics off, or no request made)"));
        }
        String selector = "{helloworld_run_id=\"" + manifest.runId() + "\"}";
        URI query = QueryClient.resolve(base, "/api/v1/query?query=" + encode(selector));
        List<PrometheusSeries> series = List.of();
        List<String> wrong = List.of("nothing queried yet");
        QueryClient.Answer last = null;
        Duration firstVisible = null;
        do {
            last = client.get(query);
            if (last.ok()) {
                series = joinedToTargetInfo(base, PrometheusSeries.parseVector(last.body()));
                if (!series.isEmpty() && firstVisible == null) {
                    firstVisible = deadline.elapsed();
                }
                wrong = mismatches(expected, series);
                if (wrong.isEmpty()) {
                    break;
                }
            }
        } while (deadline.pause());
        List<SignalCheck> lines = new ArrayList<>();
        lines.add(values(manifest, query.toString(), expected, series, wrong, firstVisible, deadline, last));
        lines.add(identity(manifest, query.toString(), series));
        lines.add(exemplars(manifest, base, exemplarSelector(selector, series), deadline));
        return lines;
    }

    private static SignalCheck values(Manifest manifest, String target, List<Manifest.MetricPoint> expected,
            List<PrometheusSeries> series, List<String> wrong, Duration firstVisible, Deadline deadline,
            QueryClient.Answer last) {
        Duration waited = deadline.elapsed();
        if (series.isEmpty()) {
            String answer = last == null ? "" : last.ok() ? "" : " (last answer: "
                    + (last.status() == 0 ? last.body() : "HTTP " + last.status()) + ")";
            return SignalCheck.failed("metrics", target, waited, "no series with helloworld_run_id=\"" + manifest.runId()
                    + "\" within " + StoredTraces.seconds(waited) + answer,
                    "have Prometheus scrape the service (OTEL_EXPORTER_PROMETHEUS_PORT) or keep resource attributes "
                            + "as labels on the way (a collector's prometheus exporters: resource_to_telemetry_conversion)");
        }
        if (!wrong.isEmpty()) {
            return SignalCheck.failed("metrics", target, waited, wrong.size() + " of " + expected.size()
                    + " values not as sent after " + StoredTraces.seconds(waited) + ": "
                    + String.join("; ", wrong.subList(0, Math.min(3, wrong.size()))) + (wrong.size() > 3 ? "; ..." : ""),
                    "points were lost or not scraped after the run's end: a scrape interval longer than --deadline, "
                            + "or delta points dropped on the way (Prometheus needs cumulative)");
        }
        return new SignalCheck("metrics", target, SignalCheck.Status.OK, waited, expected.size() + "/" + expected.size()
                + " final values as sent (requests_total per country and status, histogram counts), first visible after "
                + StoredTraces.seconds(firstVisible) + ", all after " + StoredTraces.seconds(waited), "");
    }

    /**
     * The run's series when only {@code target_info} carries the run id, as with Prometheus's own
     * OTLP ingestion, which keeps resource attributes there and joins them by {@code job} and
     * {@code instance} (service.name and service.instance.id): then the series of that job and
     * instance. Unchanged when the series carry the label themselves.
     */
    private List<PrometheusSeries> joinedToTargetInfo(URI base, List<PrometheusSeries> series) throws InterruptedException {
        if (series.size() != 1 || !series.get(0).name().equals("target_info")) {
            return series;
        }
        Map<String, String> info = series.get(0).labels();
        if (!info.containsKey("job") || !info.containsKey("instance")) {
            return series;
        }
        String selector = "{job=\"" + info.get("job") + "\",instance=\"" + info.get("instance") + "\"}";
        QueryClient.Answer joined = client.get(QueryClient.resolve(base, "/api/v1/query?query=" + encode(selector)));
        return joined.ok() ? PrometheusSeries.parseVector(joined.body()) : series;
    }

    /** The run's own selector, or its job and instance when the series were found through target_info. */
    private static String exemplarSelector(String selector, List<PrometheusSeries> series) {
        boolean joined = series.stream().anyMatch(s -> !s.labels().containsKey("helloworld_run_id"));
        Optional<PrometheusSeries> info = series.stream().filter(s -> s.name().equals("target_info")).findFirst();
        if (!joined || info.isEmpty()) {
            return selector;
        }
        return "{job=\"" + info.get().labels().get("job") + "\",instance=\"" + info.get().labels().get("instance") + "\"}";
    }

    /** The resource as target_info shows it, against the identity the run resolved. */
    private static SignalCheck identity(Manifest manifest, String target, List<PrometheusSeries> series) {
        Optional<PrometheusSeries> info = series.stream().filter(s -> s.name().equals("target_info")).findFirst();
        if (info.isEmpty()) {
            return SignalCheck.skipped("identity", "no target_info series for the run: the resource is not kept as labels");
        }
        Identity sent = manifest.identity();
        Map<String, String> labels = info.get().labels();
        List<String> wrong = new ArrayList<>();
        compare(wrong, "service", sent.serviceName(), labels.getOrDefault("service_name", ""));
        compare(wrong, "version", sent.serviceVersion(), labels.getOrDefault("service_version", ""));
        compare(wrong, "environment", sent.environment(), labels.getOrDefault("deployment_environment_name", ""));
        String token = labels.getOrDefault("bk_data_token", "");
        compare(wrong, "token", sent.maskedToken(), token.isEmpty() ? "" : Secrets.mask(token));
        if (!wrong.isEmpty()) {
            return SignalCheck.failed("identity", target, Duration.ZERO, "stored with " + String.join(", ", wrong),
                    "find what rewrites the resource between the SDK and Prometheus (OTEL_RESOURCE_ATTRIBUTES, "
                            + "a collector's resource or attributes processor, relabelling)");
        }
        return new SignalCheck("identity", target, SignalCheck.Status.OK, Duration.ZERO, "service '" + sent.serviceName()
                + "', version '" + sent.serviceVersion() + "', environment '" + sent.environment() + "', token "
                + (sent.maskedToken().isEmpty() ? "none" : sent.maskedToken()) + ", as sent", "");
    }

    private static void compare(List<String> wrong, String what, String sent, String stored) {
        if (!sent.equals(stored)) {
            wrong.add(what + " '" + stored + "' where the run sent '" + sent + "'");
        }
    }

    /**
     * The exemplars of the run's series ({@code /api/v1/query_exemplars}: {@code data} is a list of
     * {@code {"seriesLabels":{...},"exemplars":[{"labels":{"trace_id":...},"value":...,"timestamp":...}]}}).
     */
    @SuppressWarnings("unchecked")
    private SignalCheck exemplars(Manifest manifest, URI base, String selector, Deadline deadline)
            throws InterruptedException {
        if (manifest.traces().isEmpty()) {
            return SignalCheck.skipped("exemplars", "the run sent no trace for an exemplar to lead to");
        }
        long start = manifest.started().getEpochSecond() - 60;
        long end = manifest.ended().getEpochSecond() + 3600;
        URI query = QueryClient.resolve(base, "/api/v1/query_exemplars?query=" + encode(selector)
                + "&start=" + start + "&end=" + end);
        Set<String> sent = new HashSet<>();
        manifest.traces().forEach(t -> sent.add(t.traceId()));
        Map<String, Integer> unlinked = new TreeMap<>();
        int found = 0;
        do {
            QueryClient.Answer answer = client.get(query);
            if (answer.ok()) {
                found = 0;
                unlinked.clear();
                Map<String, Object> json = (Map<String, Object>) Json.parse(answer.body());
                for (Object s : (List<Object>) json.get("data")) {
                    for (Object e : (List<Object>) ((Map<String, Object>) s).get("exemplars")) {
                        Object traceId = ((Map<String, Object>) ((Map<String, Object>) e).get("labels")).get("trace_id");
                        found++;
                        if (!sent.contains(String.valueOf(traceId))) {
                            unlinked.merge(String.valueOf(traceId), 1, Integer::sum);
                        }
                    }
                }
                if (found > 0) {
                    break;
                }
            }
        } while (deadline.pause());
        Duration waited = deadline.elapsed();
        if (found == 0) {
            return SignalCheck.failed("exemplars", query.toString(), waited, "no exemplar on the run's series within "
                    + StoredTraces.seconds(waited), "start Prometheus with --enable-feature=exemplar-storage (it then "
                    + "scrapes OpenMetrics, which carries exemplars); a collector on the way must keep them");
        }
        if (!unlinked.isEmpty()) {
            return SignalCheck.failed("exemplars", query.toString(), waited, unlinked.size() + " of " + found
                    + " exemplars lead to no trace of the run, such as " + unlinked.keySet().iterator().next(),
                    "exemplars must carry the trace id of the span they were recorded in");
        }
        return new SignalCheck("exemplars", query.toString(), SignalCheck.Status.OK, waited, found
                + " exemplars, each leading to a trace of the run", "");
    }

    /** What differs between the expected points and the series; empty when every value is there. */
    static List<String> mismatches(List<Manifest.MetricPoint> expected, List<PrometheusSeries> series) {
        List<String> wrong = new ArrayList<>();
        for (Manifest.MetricPoint point : expected) {
            double want = point.type().equals("sum") ? point.value().doubleValue() : point.count();
            Optional<PrometheusSeries> stored = series.stream()
                    .filter(s -> names(point).contains(s.name()) && sameLabels(point.attributes(), s.labels())).findFirst();
            if (stored.isEmpty()) {
                wrong.add(names(point).get(0) + point.attributes() + " missing");
            } else if (Math.abs(stored.get().value() - want) > 1e-9 * Math.max(1, Math.abs(want))) {
                wrong.add(stored.get().name() + point.attributes() + " is " + stored.get().value() + ", sent " + want);
            }
        }
        return wrong;
    }

    /** The names the exporter may give the point's series: dots to underscores, a unit, _total or _count. */
    private static List<String> names(Manifest.MetricPoint point) {
        String base = point.name().replaceAll("[^a-zA-Z0-9_:]", "_");
        if (point.type().equals("histogram")) {
            return List.of(base + "_count", base + "_seconds_count", base + "_milliseconds_count");
        }
        return base.endsWith("_total") ? List.of(base) : List.of(base + "_total", base);
    }

    private static boolean sameLabels(Map<String, String> attributes, Map<String, String> labels) {
        Map<String, String> stored = new TreeMap<>();
        labels.forEach((k, v) -> {
            if (!ADDED_LABELS.contains(k) && !k.startsWith("otel_scope_")) {
                stored.put(k, v);
            }
        });
        Map<String, String> sent = new TreeMap<>();
        attributes.forEach((k, v) -> sent.put(k.replaceAll("[^a-zA-Z0-9_]", "_"), v));
        return stored.equals(sent);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
