package dev.helloworld.verify;

import dev.helloworld.core.json.Json;
import dev.helloworld.core.spi.SignalCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The run's profiles read back from Grafana Pyroscope through its Connect query API, unary calls
 * with JSON bodies (grafana.com/docs/pyroscope/latest/reference-server-api, "Connect API";
 * messages in grafana/pyroscope {@code api/querier/v1/querier.proto} and {@code api/types/v1/types.proto}):
 * <ul>
 *   <li>{@code POST /querier.v1.QuerierService/SelectMergeStacktraces}
 *       {@code {"profileTypeID","labelSelector","start","end"}} (milliseconds) answers
 *       {@code {"flamegraph":{"names":[..],"levels":[{"values":[..]}],"total":"<int64>","maxSelf":".."}}},
 *       int64 as JSON strings and {@code total} left out when 0, as proto3's JSON mapping does;</li>
 *   <li>{@code POST /querier.v1.QuerierService/SelectMergeSpanProfile} takes {@code "spanSelector"}, the
 *       span ids, and answers the same flame graph of only the samples labelled with them;</li>
 *   <li>{@code POST /querier.v1.QuerierService/LabelValues} {@code {"name":"service_name","start","end"}}
 *       answers {@code {"names":[..]}}, or {@code {}} when there is none (an empty repeated field is
 *       left out).</li>
 * </ul>
 * The agent uploads as {@code name=<service>{labels}}; Pyroscope keeps the application name as
 * the {@code service_name} label, the one the query selects on.
 */
final class PyroscopeProfiles {

    private static final String QUERIER = "/querier.v1.QuerierService/";

    private final QueryClient client;

    PyroscopeProfiles(QueryClient client) {
        this.client = client;
    }

    List<SignalCheck> check(Manifest manifest, URI base, Deadline deadline) throws InterruptedException {
        Manifest.Profiles profiles = manifest.profiles();
        if (!profiles.enabled()) {
            return List.of(SignalCheck.skipped("profiles", "the run did not profile (--enable-profiling was off)"));
        }
        String service = profiles.application();
        // The profiling plugin starts only with a name Pyroscope takes as an application name, which
        // has no quote; quoted as a JSON string all the same, which a label selector also reads.
        String selector = "{service_name=" + Json.quote(service) + "}";
        URI stacktraces = QueryClient.resolve(base, QUERIER + "SelectMergeStacktraces");
        String type = Manifest.Profiles.CPU;
        long total = 0;
        QueryClient.Answer last;
        do {
            last = client.postJson(stacktraces, request(profiles, type, selector, List.of()));
            if (last.ok()) {
                total = total(last.body());
                if (total > 0) {
                    break;
                }
            }
        } while (deadline.pause());
        Duration visible = deadline.elapsed();
        String target = stacktraces.toString();
        if (total == 0) {
            return List.of(nothingUnder(profiles, base, target, visible, last),
                    SignalCheck.skipped("span-profiles", "no profile of the run to find span profiles in"));
        }
        SignalCheck found = new SignalCheck("profiles", target, SignalCheck.Status.OK, visible, "CPU profile ("
                + type + ") under service '" + service + "' within the run's window, "
                + String.format(Locale.ROOT, "%.2f", total / 1e9) + " s of CPU, visible after "
                + StoredTraces.seconds(visible), "");
        return List.of(found, spanProfiles(profiles, base, selector, deadline,
                () -> client.postJson(stacktraces, request(profiles, type, selector, List.of()))));
    }

    /** One more ask for the run's whole profile. */
    private interface ProfileQuery {
        QueryClient.Answer ask() throws InterruptedException;
    }

    /**
     * The span-to-profile link: asks for each linked span id's span profile until every one has
     * one, or the run's profile has stopped growing and a round found no more (the uploads are all
     * in: a span still missing has no sample to be found by), or the deadline passes. A span whose
     * thread only waited, or did less CPU work than the profiler's 10 ms interval, has no span
     * profile however well the pipeline works, so some missing is reported, not failed; none at all
     * is the link lost.
     */
    private SignalCheck spanProfiles(Manifest.Profiles profiles, URI base, String selector, Deadline deadline,
            ProfileQuery whole) throws InterruptedException {
        List<String> expected = profiles.linkedSpanIds();
        if (expected.isEmpty()) {
            return SignalCheck.skipped("span-profiles", "no span of the run carried pyroscope.profile.id (traces off, "
                    + "or no request made)");
        }
        URI spanProfile = QueryClient.resolve(base, QUERIER + "SelectMergeSpanProfile");
        Set<String> missing = new LinkedHashSet<>(expected);
        Duration firstVisible = null;
        long previousTotal = -1;
        do {
            QueryClient.Answer profile = whole.ask();
            long total = profile.ok() ? total(profile.body()) : -1;
            int missingBefore = missing.size();
            for (String spanId : List.copyOf(missing)) {
                QueryClient.Answer answer = client.postJson(spanProfile,
                        request(profiles, Manifest.Profiles.CPU, selector, List.of(spanId)));
                if (answer.ok() && total(answer.body()) > 0) {
                    missing.remove(spanId);
                    if (firstVisible == null) {
                        firstVisible = deadline.elapsed();
                    }
                }
            }
            if (missing.size() == missingBefore && total >= 0 && total == previousTotal) {
                break;
            }
            previousTotal = total;
        } while (!missing.isEmpty() && deadline.pause());
        Duration waited = deadline.elapsed();
        int found = expected.size() - missing.size();
        String target = spanProfile.toString();
        if (found == 0) {
            return SignalCheck.failed("span-profiles", target, waited, "0 of " + expected.size() + " span ids with "
                    + "pyroscope.profile.id have a span profile after " + StoredTraces.seconds(waited)
                    + ": the span-to-profile link is lost",
                    "the samples must reach Pyroscope with their span_id label: upload JFR straight to Pyroscope's "
                            + "/ingest (anything that converts the profile on the way may drop it), to a Pyroscope "
                            + "that answers SelectMergeSpanProfile");
        }
        String share = found + "/" + expected.size() + " span ids with pyroscope.profile.id have a span profile, first "
                + "visible after " + StoredTraces.seconds(firstVisible);
        return new SignalCheck("span-profiles", target, SignalCheck.Status.OK, waited, missing.isEmpty() ? share
                : share + "; the other " + missing.size() + " got no CPU sample (a span whose thread only waited, "
                        + "or worked less than the profiler's 10 ms interval, has none)", "");
    }

    /** Nothing of type CPU under the run's service: asks which services Pyroscope has, to name the mismatch. */
    private SignalCheck nothingUnder(Manifest.Profiles profiles, URI base, String target, Duration waited,
            QueryClient.Answer last) throws InterruptedException {
        String service = profiles.application();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", "service_name");
        request.putAll(window(profiles));
        QueryClient.Answer names = client.postJson(QueryClient.resolve(base, QUERIER + "LabelValues"), Json.write(request));
        if (names.ok()) {
            List<String> services = names(names.body());
            if (services.contains(service)) {
                return SignalCheck.failed("profiles", target, waited, "profiles under service '" + service
                        + "', but none of type " + Manifest.Profiles.CPU + " within " + StoredTraces.seconds(waited),
                        "the CPU profile is missing: see the [profiling] lines of the run for the profiler's event "
                                + "(itimer) and for uploads refused");
            }
            if (!services.isEmpty()) {
                return SignalCheck.failed("profiles", target, waited, "stored under service " + services
                        + ", the run's service is '" + service + "'",
                        "find what renames the application between the agent and Pyroscope (OTEL_SERVICE_NAME, "
                                + "a proxy rewriting name=); traces and profiles must share the service name to link");
            }
        }
        String answer = last.ok() ? "" : " (last answer: " + (last.status() == 0 ? last.body() : "HTTP " + last.status()) + ")";
        return SignalCheck.failed("profiles", target, waited, "no profile of service '" + service + "' from "
                + profiles.from() + " to " + profiles.until() + " appeared within " + StoredTraces.seconds(waited) + answer,
                "send profiles to this Pyroscope (--profiling-endpoint), or give ingestion more time with --deadline");
    }

    /** A SelectMerge* request: {@code profileTypeID}, {@code labelSelector}, {@code start}/{@code end}, span ids if any. */
    private static String request(Manifest.Profiles profiles, String type, String selector, List<String> spanIds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profileTypeID", type);
        json.put("labelSelector", selector);
        json.putAll(window(profiles));
        if (!spanIds.isEmpty()) {
            json.put("spanSelector", spanIds);
        }
        return Json.write(json);
    }

    /**
     * The run's window in milliseconds, int64 as strings (proto3's JSON form), a minute wider on
     * each side: the agent's profiles are cut on its own timer, and the last is uploaded at stop.
     */
    private static Map<String, Object> window(Manifest.Profiles profiles) {
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("start", Long.toString(profiles.from().minusSeconds(60).toEpochMilli()));
        window.put("end", Long.toString(profiles.until().plusSeconds(60).toEpochMilli()));
        return window;
    }

    /** The flame graph's total: the sum of every sample's value; absent (0) for no data. */
    @SuppressWarnings("unchecked")
    private static long total(String body) {
        Object flamegraph = ((Map<String, Object>) Json.parse(body)).get("flamegraph");
        if (!(flamegraph instanceof Map<?, ?> graph) || graph.get("total") == null) {
            return 0;
        }
        return Long.parseLong(String.valueOf(graph.get("total")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(String body) {
        Object names = ((Map<String, Object>) Json.parse(body)).get("names");
        List<String> out = new ArrayList<>();
        if (names instanceof List<?> list) {
            list.forEach(n -> out.add(String.valueOf(n)));
        }
        return out;
    }
}
