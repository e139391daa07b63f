package dev.helloworld.verify;

import dev.helloworld.core.spi.IncidentLog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one known-answer run handed to the exporters, written to the file the user names and read
 * back by the checks: the answer the backends are held to.
 *
 * @param logsWithoutTrace log records written outside any trace
 * @param metrics          the cumulative values at the end of the run
 * @param profiles         what the profiler uploaded, and which spans link to it
 * @param incidents        what was injected during the run, when and on what, in the order the runs ended
 */
record Manifest(String runId, Identity identity, Instant started, Instant ended, List<Trace> traces,
        long logsWithoutTrace, List<MetricPoint> metrics, Profiles profiles, List<Incident> incidents) {

    /** UTC to the millisecond, always with three digits, so that the lines align and compare as text. */
    private static final DateTimeFormatter UTC_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * One run of one injected incident, to the millisecond: the line an alert's firing time is held against.
     *
     * @param scenario   such as {@code error-burst}
     * @param parameters as {@code --scenario} takes them
     * @param target     the route it acted on, or {@code *} for every route
     * @param why        why it ended, such as {@code its window ended}
     */
    record Incident(String scenario, String parameters, String target, Instant start, Instant end, String why) {

        static Incident of(IncidentLog.Incident incident) {
            return new Incident(incident.scenario(), incident.parameters(), incident.target(),
                    incident.start().truncatedTo(ChronoUnit.MILLIS), incident.end().truncatedTo(ChronoUnit.MILLIS),
                    incident.why());
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("scenario", scenario);
            json.put("parameters", parameters);
            json.put("target", target);
            json.put("start", UTC_MILLIS.format(start));
            json.put("end", UTC_MILLIS.format(end));
            json.put("start_unix_ms", start.toEpochMilli());
            json.put("end_unix_ms", end.toEpochMilli());
            json.put("ended", why);
            return json;
        }

        static Incident fromJson(Map<String, Object> json) {
            return new Incident((String) json.get("scenario"), (String) json.get("parameters"), (String) json.get("target"),
                    Instant.ofEpochMilli((Long) json.get("start_unix_ms")), Instant.ofEpochMilli((Long) json.get("end_unix_ms")),
                    (String) json.get("ended"));
        }
    }

    /** @param parentSpanId empty for a root; @param profileId the span's {@code pyroscope.profile.id}, or empty */
    record Span(String spanId, String parentSpanId, String name, String kind, boolean error, String profileId) {}

    /** @param logRecords how many log records were written inside this trace */
    record Trace(String traceId, List<Span> spans, long logRecords) {

        /** Whether a span of it ended with an error status. */
        boolean failed() {
            return spans.stream().anyMatch(Span::error);
        }
    }

    /**
     * One point of a sum ({@code value}) or a histogram ({@code count}, {@code sum}).
     *
     * @param exemplarTraces the trace ids of the exemplars of the last collection
     */
    record MetricPoint(String name, String type, Map<String, String> attributes, Number value, long count, double sum,
            List<String> exemplarTraces) {

        static MetricPoint sum(String name, Map<String, String> attributes, Number value, List<String> exemplarTraces) {
            return new MetricPoint(name, "sum", attributes, value, 0, 0, exemplarTraces);
        }

        static MetricPoint histogram(String name, Map<String, String> attributes, long count, double sum,
                List<String> exemplarTraces) {
            return new MetricPoint(name, "histogram", attributes, null, count, sum, exemplarTraces);
        }
    }

    /**
     * The run's profile uploads as Pyroscope stores them: the agent uploads with
     * {@code name=<application>{labels}} and a {@code from}/{@code until} per profile, all inside
     * the run's window, which the manifest keeps instead of each upload's (they are the agent's,
     * cut on its own timer).
     *
     * @param application   the agent's application name: the resolved {@code service.name}, which
     *                      Pyroscope keeps as the {@code service_name} label
     * @param types         the profile types a run always has, as Pyroscope names them
     *                      ({@code <name>:<type>:<unit>:<period_type>:<period_unit>}); empty when
     *                      profiling was off
     * @param linkedSpanIds the span ids that samples are labelled with: every exported span that
     *                      carries {@code pyroscope.profile.id} (the local roots), in the order they ended
     */
    record Profiles(String application, Instant from, Instant until, List<String> types, List<String> linkedSpanIds) {

        /** JFR's execution samples (itimer), as Pyroscope's JFR ingestion names them. */
        static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";

        static Profiles off(String application, Instant from, Instant until) {
            return new Profiles(application, from, until, List.of(), List.of());
        }

        boolean enabled() {
            return !types.isEmpty();
        }
    }

    long spanCount() {
        return traces.stream().mapToLong(t -> t.spans().size()).sum();
    }

    long logRecordCount() {
        return logsWithoutTrace + traces.stream().mapToLong(Trace::logRecords).sum();
    }

    /** {@code run id 1a2b: 26 traces (104 spans, 5 failed), 52 log records, 40 metric points, span ids linked to profiles: 26}. */
    String summary() {
        return "run id " + runId + ": " + traces.size() + " traces (" + spanCount() + " spans, "
                + traces.stream().filter(Trace::failed).count() + " failed), " + logRecordCount() + " log records, "
                + metrics.size() + " metric points"
                + (profiles.enabled() ? ", span ids linked to profiles: " + profiles.linkedSpanIds().size() : "")
                + (incidents.isEmpty() ? "" : ", incidents injected: " + incidents.size());
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", runId);
        json.put("run_id_attribute", RunRecording.RUN_ID.getKey());
        json.put("identity", identity.toJson());
        json.put("started", started.toString());
        json.put("ended", ended.toString());
        json.put("trace_count", (long) traces.size());
        json.put("span_count", spanCount());
        json.put("failed_traces", traces.stream().filter(Trace::failed).count());
        json.put("log_record_count", logRecordCount());
        json.put("log_records_without_trace", logsWithoutTrace);
        json.put("traces", traces.stream().map(Manifest::traceJson).toList());
        json.put("metrics", metrics.stream().map(Manifest::pointJson).toList());
        json.put("profiles", profilesJson(profiles));
        json.put("incidents", incidents.stream().map(Incident::toJson).toList());
        return json;
    }

    private static Map<String, Object> profilesJson(Profiles profiles) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("application", profiles.application());
        json.put("from", profiles.from().toString());
        json.put("until", profiles.until().toString());
        json.put("types", profiles.types());
        json.put("linked_span_ids", profiles.linkedSpanIds());
        return json;
    }

    @SuppressWarnings("unchecked")
    private static Profiles profilesFromJson(Map<String, Object> json) {
        return new Profiles((String) json.get("application"), Instant.parse((String) json.get("from")),
                Instant.parse((String) json.get("until")), List.copyOf((List<String>) (List<?>) json.get("types")),
                List.copyOf((List<String>) (List<?>) json.get("linked_span_ids")));
    }

    private static Map<String, Object> traceJson(Trace trace) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace_id", trace.traceId());
        json.put("span_count", (long) trace.spans().size());
        json.put("failed", trace.failed());
        json.put("log_records", trace.logRecords());
        json.put("spans", trace.spans().stream().map(s -> {
            Map<String, Object> span = new LinkedHashMap<>();
            span.put("span_id", s.spanId());
            span.put("parent_span_id", s.parentSpanId());
            span.put("name", s.name());
            span.put("kind", s.kind());
            span.put("error", s.error());
            span.put("profile_id", s.profileId());
            return span;
        }).toList());
        return json;
    }

    private static Map<String, Object> pointJson(MetricPoint point) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", point.name());
        json.put("type", point.type());
        json.put("attributes", new TreeMap<String, Object>(point.attributes()));
        if (point.type().equals("sum")) {
            json.put("value", point.value());
        } else {
            json.put("count", point.count());
            json.put("sum", point.sum());
        }
        json.put("exemplar_trace_ids", point.exemplarTraces());
        return json;
    }

    @SuppressWarnings("unchecked")
    static Manifest fromJson(Map<String, Object> json) {
        List<Trace> traces = ((List<Map<String, Object>>) json.get("traces")).stream().map(t -> new Trace(
                (String) t.get("trace_id"),
                ((List<Map<String, Object>>) t.get("spans")).stream().map(s -> new Span((String) s.get("span_id"),
                        (String) s.get("parent_span_id"), (String) s.get("name"), (String) s.get("kind"),
                        (Boolean) s.get("error"), (String) s.get("profile_id"))).toList(),
                (Long) t.get("log_records"))).toList();
        List<MetricPoint> metrics = ((List<Map<String, Object>>) json.get("metrics")).stream().map(m -> {
            Map<String, String> attributes = new TreeMap<>();
            ((Map<String, Object>) m.get("attributes")).forEach((k, v) -> attributes.put(k, String.valueOf(v)));
            List<String> exemplars = ((List<Object>) m.get("exemplar_trace_ids")).stream().map(String::valueOf).toList();
            return "sum".equals(m.get("type"))
                    ? MetricPoint.sum((String) m.get("name"), attributes, (Number) m.get("value"), exemplars)
                    : MetricPoint.histogram((String) m.get("name"), attributes, (Long) m.get("count"),
                            ((Number) m.get("sum")).doubleValue(), exemplars);
        }).toList();
        return new Manifest((String) json.get("run_id"), Identity.fromJson((Map<String, Object>) json.get("identity")),
                Instant.parse((String) json.get("started")), Instant.parse((String) json.get("ended")), traces,
                (Long) json.get("log_records_without_trace"), metrics,
                profilesFromJson((Map<String, Object>) json.get("profiles")),
                // Absent from the manifests written before incidents were recorded.
                ((List<Map<String, Object>>) json.getOrDefault("incidents", List.of())).stream().map(Incident::fromJson).toList());
    }
}
