package dev.helloworld.testkit;

import static dev.helloworld.core.json.Json.quote;
import static dev.helloworld.testkit.QueryAnswers.answer;

import com.sun.net.httpserver.HttpExchange;
import dev.helloworld.core.json.Json;
import dev.helloworld.core.json.MalformedJsonException;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Grafana Pyroscope's Connect query API over what a {@link PyroscopeReceiver} received: unary
 * {@code POST}s with JSON bodies to {@code /querier.v1.QuerierService/<method>}
 * (grafana.com/docs/pyroscope/latest/reference-server-api; messages in grafana/pyroscope
 * {@code api/querier/v1/querier.proto}). Answered as Pyroscope stores a JFR upload: the application
 * name of {@code name=<app>{labels}} becomes the {@code service_name} label, the execution samples
 * the profile type {@code process_cpu:cpu:nanoseconds:cpu:nanoseconds} (each sample one 10 ms
 * itimer interval, the agent's default), and a sample's span id the label that
 * {@code SelectMergeSpanProfile}'s {@code spanSelector} matches.
 *
 * <ul>
 *   <li>{@code SelectMergeStacktraces} and {@code SelectMergeSpanProfile} answer
 *       {@code {"flamegraph":{"names":[..],"levels":[{"values":[..]}],"total":"..","maxSelf":".."}}}:
 *       int64 as JSON strings, zero values left out (proto3's JSON mapping); each level's values in
 *       fours, {@code [x offset from the previous node's end, total, self, name index]}, the root named
 *       {@code total}, no data answered as that root alone with zeros (grafana/pyroscope
 *       {@code pkg/model/flamegraph.go}, {@code NewFlameGraph}): {@code "levels":[{"values":["0","0","0","0"]}]}
 *       and no {@code total} or {@code maxSelf}, since connect-go's JSON codec marshals with
 *       {@code protojson.MarshalOptions{}}, which leaves a zero int64 out;</li>
 *   <li>{@code LabelValues} with {@code name} answers {@code {"names":[..]}}, sorted, and {@code {}}
 *       when there is none (an empty repeated field is left out too).</li>
 * </ul>
 * Only {@code {service_name="x"}} is understood as a label selector; anything else is a 400 with
 * Connect's error body. Faults of a pipeline are made here: the application renamed, span ids dropped.
 */
public final class PyroscopeQueryFake implements AutoCloseable {

    /** What the pipeline in front of this Pyroscope does wrong. */
    public record Faults(String renameService, boolean dropSpanIds) {
        public static Faults none() {
            return new Faults("", false);
        }
    }

    static final String CPU = "process_cpu:cpu:nanoseconds:cpu:nanoseconds";
    private static final long INTERVAL_NANOS = 10_000_000;
    private static final Pattern SELECTOR = Pattern.compile("\\{service_name=\"([^\"]*)\"}");
    private final PyroscopeReceiver receiver;
    private final Faults faults;
    private final HttpServer server;
    private final List<Stored> stored = new ArrayList<>();
    private int decoded;

    private PyroscopeQueryFake(PyroscopeReceiver receiver, Faults faults) throws IOException {
        this.receiver = receiver;
        this.faults = faults;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/querier.v1.QuerierService/", this::handle);
        server.start();
    }

    public static PyroscopeQueryFake start(PyroscopeReceiver receiver, Faults faults) {
        try {
            return new PyroscopeQueryFake(receiver, faults);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** One stored sample: its series' service, the upload's window (seconds), its stack root first, its span id. */
    private record Stored(String service, long from, long until, List<String> stack, String spanId) {}

    @SuppressWarnings("unchecked")
    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestURI().getPath().substring("/querier.v1.QuerierService/".length());
        if (!"POST".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "{\"code\":\"unimplemented\",\"message\":\"HTTP method not allowed\"}");
            return;
        }
        Map<String, Object> request;
        try {
            request = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (MalformedJsonException e) {
            answer(exchange, 400, "{\"code\":\"invalid_argument\",\"message\":" + quote(e.getMessage()) + "}");
            return;
        }
        long start = int64(request.get("start")) / 1000;
        long end = int64(request.get("end")) / 1000;
        Predicate<Stored> inWindow = s -> s.until() >= start && s.from() <= end;
        switch (method) {
            case "LabelValues" -> {
                Set<String> names = new TreeSet<>();
                if ("service_name".equals(request.get("name"))) {
                    stored().stream().filter(inWindow).forEach(s -> names.add(s.service()));
                }
                // An empty repeated field is left out, as proto3's JSON mapping does: no names is {}.
                answer(exchange, 200, names.isEmpty() ? "{}"
                        : "{\"names\":[" + String.join(",", names.stream().map(Json::quote).toList()) + "]}");
            }
            case "SelectMergeStacktraces", "SelectMergeSpanProfile" -> {
                String labelSelector = String.valueOf(request.getOrDefault("labelSelector", ""));
                Matcher selector = SELECTOR.matcher(labelSelector);
                if (!selector.matches()) {
                    answer(exchange, 400, "{\"code\":\"invalid_argument\",\"message\":"
                            + quote("parse error: unexpected selector " + labelSelector) + "}");
                    return;
                }
                Set<String> spans = new TreeSet<>();
                if (request.get("spanSelector") instanceof List<?> ids) {
                    ids.forEach(id -> spans.add(String.valueOf(id)));
                }
                boolean spanProfile = method.equals("SelectMergeSpanProfile");
                List<List<String>> stacks = CPU.equals(request.get("profileTypeID")) ? stored().stream().filter(inWindow)
                        .filter(st -> st.service().equals(selector.group(1)))
                        .filter(st -> !spanProfile || spans.contains(st.spanId()))
                        .map(Stored::stack).toList() : List.of();
                answer(exchange, 200, "{\"flamegraph\":" + FlameGraph.of(stacks, INTERVAL_NANOS) + "}");
            }
            default -> answer(exchange, 404, "{\"code\":\"unimplemented\",\"message\":\"" + method + " is not implemented\"}");
        }
    }

    /** An int64 field: a JSON string or a number, as proto3's JSON mapping allows; 0 when left out. */
    private static long int64(Object field) {
        return field == null ? 0 : Long.parseLong(String.valueOf(field));
    }

    /** Every upload decoded once: a JFR part is parsed through a file, and the read-back asks per span id. */
    private synchronized List<Stored> stored() {
        List<PyroscopeReceiver.Upload> uploads = receiver.uploads();
        for (PyroscopeReceiver.Upload upload : uploads.subList(decoded, uploads.size())) {
            stored.addAll(decode(upload));
        }
        decoded = uploads.size();
        return List.copyOf(stored);
    }

    private List<Stored> decode(PyroscopeReceiver.Upload upload) {
        String name = upload.query("name") == null ? "" : upload.query("name");
        String service = !faults.renameService().isEmpty() ? faults.renameService()
                : name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
        long from = Long.parseLong(upload.query("from"));
        long until = Long.parseLong(upload.query("until"));
        List<Stored> out = new ArrayList<>();
        for (PyroscopeReceiver.Sample sample : upload.samples()) {
            if (sample.eventType().equals("jdk.ExecutionSample")) {
                List<String> stack = new ArrayList<>(sample.frames());
                Collections.reverse(stack);
                String span = sample.spanId() == 0 || faults.dropSpanIds() ? "" : sample.spanIdHex();
                out.add(new Stored(service, from, until, stack, span));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Pyroscope's flame graph of merged stacks: a tree of function names, written level by level. */
    static final class FlameGraph {

        private static final class Node {
            final int name;
            long total;
            long self;
            final Map<Integer, Node> children = new LinkedHashMap<>();

            Node(int name) {
                this.name = name;
            }
        }

        static String of(List<List<String>> stacks, long value) {
            List<String> names = new ArrayList<>(List.of("total"));
            Map<String, Integer> index = new LinkedHashMap<>(Map.of("total", 0));
            Node root = new Node(0);
            for (List<String> stack : stacks) {
                root.total += value;
                Node at = root;
                for (String frame : stack) {
                    int id = index.computeIfAbsent(frame, k -> {
                        names.add(k);
                        return names.size() - 1;
                    });
                    at = at.children.computeIfAbsent(id, Node::new);
                    at.total += value;
                }
                at.self += value;
            }
            if (stacks.isEmpty()) {
                // Pyroscope's answer for no data: the root alone, its zeros left out as proto3 JSON does.
                return "{\"names\":[\"total\"],\"levels\":[{\"values\":[\"0\",\"0\",\"0\",\"0\"]}]}";
            }
            StringBuilder levels = new StringBuilder();
            long maxSelf = 0;
            List<Map.Entry<Long, Node>> level = List.of(Map.entry(0L, root));
            while (!level.isEmpty()) {
                List<String> values = new ArrayList<>();
                List<Map.Entry<Long, Node>> next = new ArrayList<>();
                long end = 0;
                for (Map.Entry<Long, Node> placed : level) {
                    long x = placed.getKey();
                    Node node = placed.getValue();
                    values.addAll(List.of(Long.toString(x - end), Long.toString(node.total), Long.toString(node.self),
                            Integer.toString(node.name)));
                    end = x + node.total;
                    maxSelf = Math.max(maxSelf, node.self);
                    // A node's self comes first, then its children, as Pyroscope's NewFlameGraph places them.
                    long childX = x + node.self;
                    for (Node child : node.children.values()) {
                        next.add(Map.entry(childX, child));
                        childX += child.total;
                    }
                }
                levels.append(levels.isEmpty() ? "" : ",").append("{\"values\":[")
                        .append(String.join(",", values.stream().map(Json::quote).toList())).append("]}");
                level = next;
            }
            return "{\"names\":[" + String.join(",", names.stream().map(Json::quote).toList()) + "],\"levels\":["
                    + levels + "],\"total\":" + quote(Long.toString(root.total)) + ",\"maxSelf\":" + quote(Long.toString(maxSelf)) + "}";
        }
    }
}
