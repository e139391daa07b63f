package dev.helloworld.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 29's table, through the real launcher: for each way users set the service's identity (a
 * row), every part that way can set arrives as set in every place it goes (the columns): the
 * resource of traces, metrics and logs, the x-bk-token header over gRPC (traces and logs) and over
 * HTTP (metrics), the Pyroscope application name and labels, and both Pyroscope upload headers.
 * A part the way does not set must still be one value everywhere. One process per way checks all
 * places at once, over the whole run: every request, every upload. {@code launcher config}, with
 * the same settings, names the way as each value's source.
 */
class IdentityIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The parts of the identity, by their configuration key's name, as {@code launcher config} lists them. */
    private static final List<String> PARTS = List.of("service.name", "service.version", "deployment.environment", "token");

    /** A value a way gives a part, and the source {@code launcher config} must name for it. */
    record Given(String value, String source) {}

    /**
     * One way of setting the identity.
     *
     * @param set for each part this way sets, what it gives it
     */
    record Way(String name, Map<String, String> env, List<String> args, Map<String, Given> set) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Way> ways() {
        return Stream.of(
                new Way("options", Map.of(),
                        List.of("--service-name", "shop-option", "--service-version", "2.1.0",
                                "--deployment-environment", "stage-option", "--token", "Tk-option-s3cret"),
                        Map.of("service.name", new Given("shop-option", "flag --service-name"),
                                "service.version", new Given("2.1.0", "flag --service-version"),
                                "deployment.environment", new Given("stage-option", "flag --deployment-environment"),
                                "token", new Given("Tk-option-s3cret", "flag --token"))),
                new Way("the seed's variables",
                        Map.of("SERVICE_NAME", "shop-seed", "SERVICE_VERSION", "2.2.0",
                                "DEPLOYMENT_ENVIRONMENT", "stage-seed", "TOKEN", "Tk-seed-s3cret"), List.of(),
                        Map.of("service.name", new Given("shop-seed", "env SERVICE_NAME"),
                                "service.version", new Given("2.2.0", "env SERVICE_VERSION"),
                                "deployment.environment", new Given("stage-seed", "env DEPLOYMENT_ENVIRONMENT"),
                                "token", new Given("Tk-seed-s3cret", "env TOKEN"))),
                new Way("OTEL_SERVICE_NAME", Map.of("OTEL_SERVICE_NAME", "shop-otel"), List.of(),
                        Map.of("service.name", new Given("shop-otel", "env OTEL_SERVICE_NAME"))),
                new Way("OTEL_RESOURCE_ATTRIBUTES", Map.of("OTEL_RESOURCE_ATTRIBUTES", "team=a,service.name=shop-res,"
                        + "service.version=2.3.0,deployment.environment.name=stage-res,bk.data.token=Tk-res-s3cret"), List.of(),
                        Map.of("service.name", new Given("shop-res", "env OTEL_RESOURCE_ATTRIBUTES"),
                                "service.version", new Given("2.3.0", "env OTEL_RESOURCE_ATTRIBUTES"),
                                "deployment.environment", new Given("stage-res", "env OTEL_RESOURCE_ATTRIBUTES"),
                                "token", new Given("Tk-res-s3cret", "env OTEL_RESOURCE_ATTRIBUTES"))),
                new Way("-D resource attributes through JAVA_OPTS", Map.of("JAVA_OPTS", "-Dotel.service.name=shop-prop "
                        + "-Dotel.resource.attributes=service.version=2.4.0,deployment.environment.name=stage-prop,"
                        + "bk.data.token=Tk-prop-s3cret"), List.of(),
                        Map.of("service.name", new Given("shop-prop", "property -Dotel.service.name"),
                                "service.version", new Given("2.4.0", "property -Dotel.resource.attributes"),
                                "deployment.environment", new Given("stage-prop", "property -Dotel.resource.attributes"),
                                "token", new Given("Tk-prop-s3cret", "property -Dotel.resource.attributes"))),
                new Way("-D OTLP headers through JAVA_OPTS",
                        Map.of("JAVA_OPTS", "-Dotel.exporter.otlp.headers=tenant=a,x-bk-token=Tk-hprop-s3cret"), List.of(),
                        Map.of("token", new Given("Tk-hprop-s3cret", "property -Dotel.exporter.otlp.headers"))),
                new Way("OTEL_EXPORTER_OTLP_HEADERS", Map.of("OTEL_EXPORTER_OTLP_HEADERS", "X-BK-TOKEN=Tk-hdr-s3cret"), List.of(),
                        Map.of("token", new Given("Tk-hdr-s3cret", "env OTEL_EXPORTER_OTLP_HEADERS"))),
                new Way("OTEL_EXPORTER_OTLP_LOGS_HEADERS", Map.of("OTEL_EXPORTER_OTLP_LOGS_HEADERS", "x-bk-token=Tk-logs-s3cret"),
                        List.of(), Map.of("token", new Given("Tk-logs-s3cret", "env OTEL_EXPORTER_OTLP_LOGS_HEADERS"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ways")
    void everyPartArrivesAsSetInEveryPlaceAndConfigNamesItsSource(Way way) throws Exception {
        Map<String, Map<String, Set<String>>> seen;
        try (OtlpReceiver otlp = OtlpReceiver.start(); PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            run(way, otlp, pyroscope);
            seen = seen(otlp, pyroscope);
        }
        List<String> problems = new ArrayList<>();
        for (String part : PARTS) {
            Optional<String> expected = value(way, part);
            Set<String> all = new TreeSet<>();
            seen.get(part).forEach((place, values) -> {
                all.addAll(values);
                if (values.isEmpty()) {
                    problems.add(part + ": nothing arrived in " + place);
                }
                expected.filter(e -> !values.equals(Set.of(e)))
                        .ifPresent(e -> problems.add(part + ": " + place + " had " + values + ", not " + e));
            });
            if (all.size() > 1) {
                problems.add(part + ": not one value everywhere: " + seen.get(part));
            }
        }
        assertEquals(List.of(), problems, "way '" + way + "', every place of every part: " + seen);
        assertConfigNamesTheSources(way);
    }

    /**
     * OTLP carries any service name; only Pyroscope's application name is narrower, and it is
     * checked only when profiling runs (BadInputIT has the usage error with profiling on).
     */
    @Test
    void aServiceNameWithASpaceIsEveryResourcesNameWithProfilingOff() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), Map.of("OTEL_SERVICE_NAME", "shop a",
                        "OTEL_METRIC_EXPORT_INTERVAL", "1000"), "run", "--exporter", "http", "--endpoint",
                        otlp.httpEndpoint().toString(), "--enable-traces", "--enable-metrics", "--enable-logs",
                        "--http-port", "0", "--query-interval", "200ms")) {
            otlp.awaitSpan("caller/query_hello_world", PATIENCE);
            otlp.awaitMetric("requests_total", PATIENCE);
            otlp.awaitLogRecord(body -> body.startsWith("get country -> "), PATIENCE);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());

            Map<String, List<String>> names = new TreeMap<>();
            otlp.requests().forEach(r -> resources(r).forEach(resource -> names.computeIfAbsent(r.signal(),
                    k -> new ArrayList<>()).add(OtlpReceiver.attribute(resource, "service.name").orElse("(none)"))));
            assertEquals(Set.of(OtlpReceiver.TRACES, OtlpReceiver.METRICS, OtlpReceiver.LOGS), names.keySet(), names.toString());
            names.forEach((signal, seen) -> assertEquals(List.of("shop a"), seen.stream().distinct().toList(),
                    "all " + seen.size() + " " + signal + " resources"));
        }
    }

    static Stream<Arguments> namesPyroscopeRefuses() {
        return Stream.of(
                Arguments.of(Map.of("OTEL_SERVICE_NAME", "shop a", "ENABLE_PROFILING", "true"), List.of(),
                        "invalid value 'shop a' for OTEL_SERVICE_NAME"),
                Arguments.of(Map.of("SERVICE_NAME", "x{y}"), List.of("--enable-profiling"),
                        "invalid value 'x{y}' for SERVICE_NAME"),
                Arguments.of(Map.of(), List.of("--service-name", "shop}{x=1,y", "--enable-profiling"),
                        "invalid value 'shop}{x=1,y' for --service-name"));
    }

    /**
     * With profiling on the name is also Pyroscope's application name: one that Pyroscope refuses
     * is a usage error, found before any service starts. Here and not in BadInputIT, whose
     * distribution has no profiling plugin.
     */
    @ParameterizedTest(name = "{1} {0}")
    @MethodSource("namesPyroscopeRefuses")
    void withProfilingOnANamePyroscopeRefusesIsAUsageErrorAndStartsNothing(Map<String, String> env, List<String> args,
            String given) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--http-port", "0"));
        all.addAll(args);
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env, all.toArray(String[]::new))) {
            assertEquals(2, launcher.awaitExit(PATIENCE), launcher.output());
            assertEquals(List.of("launcher: " + given + ": expected a name of letters, digits, '.', '_', '-' and '/' "
                    + "(what Pyroscope takes as an application name), or profiling off"), launcher.stderr());
            assertEquals(List.of(), launcher.stdout(), "nothing started, nothing logged");
        }
    }

    /** Runs the launcher with every signal on until each has arrived, then stops it (which flushes). */
    private static void run(Way way, OtlpReceiver otlp, PyroscopeReceiver pyroscope) throws Exception {
        Map<String, String> env = new HashMap<>(way.env());
        // Traces and logs over gRPC, metrics over HTTP: standard per-signal settings, so that one
        // process shows the header over both transports.
        env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc");
        env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.grpcEndpoint().toString());
        env.put("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf");
        env.put("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", otlp.httpEndpoint() + "/v1/metrics");
        env.put("OTEL_METRIC_EXPORT_INTERVAL", "1000");
        List<String> args = new ArrayList<>(List.of("run", "--enable-traces", "--enable-metrics", "--enable-logs",
                "--enable-profiling", "--profiling-endpoint", pyroscope.baseUri().toString(),
                "--profiling-upload-interval", "1s", "--http-port", "0", "--query-interval", "200ms"));
        args.addAll(way.args());
        try (LauncherProcess launcher = LauncherProcess.start(LauncherProcess.dist(), env, args.toArray(String[]::new))) {
            otlp.awaitSpan("caller/query_hello_world", PATIENCE);
            otlp.awaitMetric("requests_total", PATIENCE);
            otlp.awaitLogRecord(body -> body.startsWith("get country -> "), PATIENCE);
            pyroscope.awaitUpload(u -> u.path().endsWith("/ingest"), PATIENCE);
            launcher.terminate();
            assertEquals(0, launcher.awaitExit(PATIENCE), "exit code after SIGTERM\n" + launcher.output());
            value(way, "token").ifPresent(token -> assertTrue(launcher.output().lines().noneMatch(l -> l.contains(token)),
                    "the token was printed\n" + launcher.output()));
        }
    }

    /** For each part, for each place it goes: the values that arrived there over the whole run. */
    private static Map<String, Map<String, Set<String>>> seen(OtlpReceiver otlp, PyroscopeReceiver pyroscope) {
        Map<String, Map<String, Set<String>>> seen = new LinkedHashMap<>();
        Map<String, String> attributes = Map.of("service.name", "service.name", "service.version", "service.version",
                "deployment.environment", "deployment.environment.name", "token", "bk.data.token");
        for (String part : PARTS) {
            Map<String, Set<String>> places = new LinkedHashMap<>();
            for (String signal : List.of(OtlpReceiver.TRACES, OtlpReceiver.METRICS, OtlpReceiver.LOGS)) {
                places.put(signal + " resource", otlp.requests().stream().filter(r -> r.signal().equals(signal))
                        .flatMap(r -> resources(r).stream())
                        .map(r -> OtlpReceiver.attribute(r, attributes.get(part)).orElse("(none)"))
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
            seen.put(part, places);
        }
        for (String transport : List.of(OtlpReceiver.GRPC, OtlpReceiver.HTTP)) {
            seen.get("token").put("x-bk-token over " + transport, otlp.requests().stream()
                    .filter(r -> r.transport().equals(transport))
                    .map(r -> r.headers().getOrDefault("x-bk-token", "(none)"))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        List<PyroscopeReceiver.Upload> uploads = pyroscope.uploads();
        seen.get("service.name").put("Pyroscope application", values(uploads, u -> application(u.query("name"))));
        seen.get("service.version").put("profile label service_version",
                values(uploads, u -> label(u.query("name"), "service_version")));
        seen.get("deployment.environment").put("profile label service_environment",
                values(uploads, u -> label(u.query("name"), "service_environment")));
        seen.get("token").put("X-BK-TOKEN", values(uploads, u -> String.valueOf(u.header("X-BK-TOKEN"))));
        seen.get("token").put("Authorization", values(uploads, u -> String.valueOf(u.header("Authorization"))
                .replaceFirst("^Bearer ", "")));
        return seen;
    }

    private static void assertConfigNamesTheSources(Way way) throws Exception {
        List<String> args = new ArrayList<>(List.of("config"));
        args.addAll(way.args());
        try (LauncherProcess config = LauncherProcess.start(LauncherProcess.dist(), way.env(), args.toArray(String[]::new))) {
            assertEquals(0, config.awaitExit(PATIENCE), config.output());
            for (Map.Entry<String, Given> part : way.set().entrySet()) {
                String flag = "--" + part.getKey().replace('.', '-');
                String row = config.stdout().stream().filter(l -> l.startsWith(flag + " ")).findFirst()
                        .orElseThrow(() -> new AssertionError("no row for " + flag + "\n" + config.output()));
                String source = part.getValue().source();
                assertTrue(row.endsWith("  " + source), "the source of " + part.getKey() + " should be '" + source
                        + "': " + row);
                if (part.getKey().equals("token")) {
                    assertTrue(!row.contains(value(way, "token").orElseThrow()), "the token unmasked: " + row);
                } else {
                    assertTrue(row.contains("  " + value(way, part.getKey()).orElseThrow() + "  "), row);
                }
            }
        }
    }

    private static Optional<String> value(Way way, String part) {
        return Optional.ofNullable(way.set().get(part)).map(Given::value);
    }

    private static List<Resource> resources(OtlpReceiver.Received received) {
        if (received.request() instanceof ExportTraceServiceRequest t) {
            return t.getResourceSpansList().stream().map(r -> r.getResource()).toList();
        }
        if (received.request() instanceof ExportMetricsServiceRequest m) {
            return m.getResourceMetricsList().stream().map(r -> r.getResource()).toList();
        }
        return ((ExportLogsServiceRequest) received.request()).getResourceLogsList().stream().map(r -> r.getResource()).toList();
    }

    private static Set<String> values(List<PyroscopeReceiver.Upload> uploads,
            Function<PyroscopeReceiver.Upload, String> read) {
        return uploads.stream().map(read).collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code shop} of {@code shop{k=v,k=v}}. */
    private static String application(String name) {
        int brace = name.indexOf('{');
        return brace < 0 ? name : name.substring(0, brace);
    }

    /** The value of label {@code key} in {@code app{k=v,k=v}}, or "(none)". */
    private static String label(String name, String key) {
        int brace = name.indexOf('{');
        if (brace < 0 || !name.endsWith("}")) {
            return "(none)";
        }
        for (String pair : name.substring(brace + 1, name.length() - 1).split(",")) {
            if (pair.startsWith(key + "=")) {
                return pair.substring(key.length() + 1);
            }
        }
        return "(none)";
    }
}
