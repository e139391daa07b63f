package dev.helloworld.verify;

import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run's log records read back from Loki, {@code GET /loki/api/v1/query_range} with
 * {@code {service_name="<service>"} | helloworld_run_id="<run id>"}: Loki 3 keeps an OTLP
 * record's {@code service.name} as an index label and the other resource attributes, the
 * {@code trace_id} and {@code span_id} as structured metadata, which a query answer shows merged
 * into each stream's labels (grafana.com/docs/loki/latest/reference/loki-http-api, "Query logs
 * within a range of time"; grafana/loki#10419). The log-to-trace link holds when every record
 * written in a trace carries that trace's id.
 */
final class LokiLogs {

    /** Loki's own default limit is 100; a minute of traffic writes more. */
    private static final int LIMIT = 5000;

    private final QueryClient client;

    LokiLogs(QueryClient client) {
        this.client = client;
    }

    /** What a query answered: records per trace id ("" for none), and the service names seen. */
    private record Found(Map<String, Integer> perTrace, Set<String> services, int total) {}

    SignalCheck check(Manifest manifest, URI base, Deadline deadline) throws InterruptedException {
        long expected = manifest.logRecordCount();
        if (expected == 0) {
            return SignalCheck.skipped("logs", "the run recorded no log record (logs off, or no request made)");
        }
        String service = manifest.identity().serviceName();
        // A JSON string is a LogQL string too (Go's escapes): any service name, quotes and all.
        URI query = rangeQuery(base, manifest, "{service_name=" + Json.quote(service) + "}");
        Found found = new Found(Map.of(), Set.of(), 0);
        QueryClient.Answer last = null;
        Duration firstVisible = null;
        do {
            last = client.get(query);
            if (last.ok()) {
                found = parse(last.body());
                if (found.total() > 0 && firstVisible == null) {
                    firstVisible = deadline.elapsed();
                }
                if (found.total() >= expected) {
                    break;
                }
            }
        } while (deadline.pause());
        Duration waited = deadline.elapsed();
        String target = query.toString();
        if (found.total() == 0) {
            return nothingUnder(manifest, base, service, target, waited, last);
        }
        if (found.total() < expected) {
            return SignalCheck.failed("logs", target, waited, found.total() + " of " + expected
                    + " log records after " + StoredTraces.seconds(waited),
                    "log records were lost on the way: look for dropped log records in the service's stop summary and "
                            + "the collector's logs, or give ingestion more time with --deadline");
        }
        long inTraces = manifest.traces().stream().mapToLong(Manifest.Trace::logRecords).sum();
        int withoutTrace = found.perTrace().getOrDefault("", 0);
        if (withoutTrace > manifest.logsWithoutTrace()) {
            return SignalCheck.failed("logs", target, waited, withoutTrace + " of " + expected
                    + " log records have no trace id, though " + inTraces + " were written in a trace: the log-to-trace "
                    + "link is lost", "keep trace_id and span_id on the way (Loki's OTLP ingestion keeps them as "
                    + "structured metadata; a collector processor or a push in another format drops them)");
        }
        Set<String> sent = new TreeSet<>();
        manifest.traces().forEach(t -> sent.add(t.traceId()));
        long unlinked = found.perTrace().entrySet().stream()
                .filter(e -> !e.getKey().isEmpty() && !sent.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        if (unlinked > 0) {
            return SignalCheck.failed("logs", target, waited, unlinked + " log records carry trace ids the run never sent",
                    "the records' trace_id must be the one of the span they were written in");
        }
        return new SignalCheck("logs", target, SignalCheck.Status.OK, waited, expected + "/" + expected
                + " log records under service '" + service + "', each written in a trace linked to it, first visible after "
                + StoredTraces.seconds(firstVisible) + ", all after " + StoredTraces.seconds(waited), "");
    }

    /** Nothing under the run's service: asks once more under any service, to name the one it went to. */
    private SignalCheck nothingUnder(Manifest manifest, URI base, String service, String target, Duration waited,
            QueryClient.Answer last) throws InterruptedException {
        QueryClient.Answer anywhere = client.get(rangeQuery(base, manifest, "{service_name=~\".+\"}"));
        if (anywhere.ok()) {
            Found elsewhere = parse(anywhere.body());
            if (elsewhere.total() > 0) {
                return SignalCheck.failed("logs", target, waited, "stored under service " + elsewhere.services()
                        + ", the run's service is '" + service + "'",
                        "find what renames the service between the SDK and Loki (OTEL_SERVICE_NAME, "
                                + "OTEL_RESOURCE_ATTRIBUTES, a collector's resource processor)");
            }
        }
        String answer = last == null || last.ok() ? "" : " (last answer: "
                + (last.status() == 0 ? last.body() : "HTTP " + last.status()) + ")";
        return SignalCheck.failed("logs", target, waited, "none of the run's " + manifest.logRecordCount()
                + " log records (helloworld_run_id=\"" + manifest.runId() + "\") appeared within "
                + StoredTraces.seconds(waited) + answer,
                "send logs to this Loki (a collector's otlphttp exporter to Loki's /otlp), or give ingestion more "
                        + "time with --deadline");
    }

    private static URI rangeQuery(URI base, Manifest manifest, String selector) {
        String logql = selector + " | helloworld_run_id=\"" + manifest.runId() + "\"";
        long start = manifest.started().minusSeconds(60).toEpochMilli() * 1_000_000;
        long end = manifest.ended().plusSeconds(3600).toEpochMilli() * 1_000_000;
        return QueryClient.resolve(base, "/loki/api/v1/query_range?query=" + URLEncoder.encode(logql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&limit=" + LIMIT + "&direction=forward");
    }

    @SuppressWarnings("unchecked")
    private static Found parse(String body) {
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) Json.parse(body)).get("data");
        Map<String, Integer> perTrace = new HashMap<>();
        Set<String> services = new TreeSet<>();
        int total = 0;
        for (Object o : (List<Object>) data.get("result")) {
            Map<String, Object> stream = (Map<String, Object>) o;
            Map<String, Object> labels = (Map<String, Object>) stream.get("stream");
            int n = ((List<Object>) stream.get("values")).size();
            String traceId = labels.get("trace_id") instanceof String id ? id : "";
            perTrace.merge(traceId, n, Integer::sum);
            if (labels.get("service_name") instanceof String name) {
                services.add(name);
            }
            total += n;
        }
        return new Found(perTrace, services, total);
    }
}
