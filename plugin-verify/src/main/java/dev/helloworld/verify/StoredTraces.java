package dev.helloworld.verify;

import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The run's traces read back by id from a trace store's query API ({@link TraceApi}): asked for
 * every trace of the manifest until each is whole or the deadline passes; then whether each is
 * whole (which spans it lacks) and stored under the run's service.
 */
final class StoredTraces {

    private final QueryClient client;
    private final TraceApi api;

    StoredTraces(QueryClient client, TraceApi api) {
        this.client = client;
        this.api = api;
    }

    /** What a store shows of one trace: the span ids (lower-case hex), and the service names they were stored under. */
    record Stored(Set<String> spanIds, Set<String> services) {}

    SignalCheck check(Manifest manifest, URI base, Deadline deadline) throws InterruptedException {
        String target = QueryClient.resolve(base, api.path()).toString();
        if (manifest.traces().isEmpty()) {
            return SignalCheck.skipped("traces", "the run recorded no trace (traces off, or no request made)");
        }
        Map<String, Stored> seen = new LinkedHashMap<>();
        QueryClient.Answer last = null;
        Duration firstVisible = null;
        do {
            for (Manifest.Trace trace : manifest.traces()) {
                Stored stored = seen.get(trace.traceId());
                if (stored != null && stored.spanIds().size() >= trace.spans().size()) {
                    continue;
                }
                last = client.get(QueryClient.resolve(base, api.path() + trace.traceId()));
                if (last.ok()) {
                    seen.put(trace.traceId(), api.parse(last.body()));
                    if (firstVisible == null) {
                        firstVisible = deadline.elapsed();
                    }
                }
            }
            if (wholeCount(manifest, seen) == manifest.traces().size()) {
                break;
            }
        } while (deadline.pause());
        return verdict(manifest, seen, target, deadline, firstVisible, last);
    }

    private SignalCheck verdict(Manifest manifest, Map<String, Stored> seen, String target, Deadline deadline,
            Duration firstVisible, QueryClient.Answer last) {
        int expected = manifest.traces().size();
        Duration waited = deadline.elapsed();
        if (seen.isEmpty()) {
            String answer = last == null ? "" : last.status() == 0 ? " (last answer: " + last.body() + ")"
                    : " (last answer: HTTP " + last.status() + ")";
            return SignalCheck.failed("traces", target, waited, "none of the run's " + expected + " traces (run id "
                    + manifest.runId() + ") appeared within " + seconds(waited) + answer,
                    "send traces to this " + api.title() + " (" + api.howToSend() + "), "
                            + "or give ingestion more time with --deadline");
        }
        String service = api.lowerCaseServices()
                ? manifest.identity().serviceName().toLowerCase(Locale.ROOT) : manifest.identity().serviceName();
        Set<String> otherServices = new TreeSet<>();
        seen.values().forEach(s -> otherServices.addAll(s.services()));
        otherServices.remove(service);
        if (!otherServices.isEmpty()) {
            return SignalCheck.failed("traces", target, waited, "stored under service " + otherServices
                    + ", the run's service is '" + service + "'",
                    "find what renames the service between the SDK and " + api.title() + " (OTEL_SERVICE_NAME, "
                            + "OTEL_RESOURCE_ATTRIBUTES, a collector's resource processor)");
        }
        List<String> broken = new ArrayList<>();
        for (Manifest.Trace trace : manifest.traces()) {
            Stored stored = seen.get(trace.traceId());
            if (stored == null) {
                broken.add(trace.traceId() + " missing");
                continue;
            }
            List<String> missing = trace.spans().stream().filter(s -> !stored.spanIds().contains(s.spanId()))
                    .map(Manifest.Span::name).toList();
            if (!missing.isEmpty()) {
                broken.add(trace.traceId() + " lacks " + missing);
            }
        }
        if (!broken.isEmpty()) {
            return SignalCheck.failed("traces", target, waited, broken.size() + " of " + expected
                    + " traces not whole after " + seconds(waited) + ": " + String.join("; ", broken.subList(0,
                            Math.min(3, broken.size()))) + (broken.size() > 3 ? "; ..." : ""),
                    "spans were lost on the way: look for dropped spans in the service's stop summary and in "
                            + "the collector's logs, or give ingestion more time with --deadline");
        }
        return new SignalCheck("traces", target, SignalCheck.Status.OK, waited, expected + "/" + expected
                + " traces whole (" + manifest.spanCount() + " spans) under service '" + service
                + "', first visible after " + seconds(firstVisible) + ", all after " + seconds(waited), "");
    }

    private static long wholeCount(Manifest manifest, Map<String, Stored> seen) {
        return manifest.traces().stream().filter(t -> {
            Stored stored = seen.get(t.traceId());
            return stored != null && t.spans().stream().allMatch(s -> stored.spanIds().contains(s.spanId()));
        }).count();
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
