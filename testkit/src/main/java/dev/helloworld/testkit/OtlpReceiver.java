package dev.helloworld.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OTLP collector inside the test JVM: OTLP/gRPC and OTLP/HTTP (protobuf) on ephemeral ports of
 * 127.0.0.1, decoding every export request with the official {@code opentelemetry-proto} classes.
 *
 * <p>Only answered, accepted requests count as received. Tests wait for data with the
 * {@code await*} methods, which wake up as soon as a request arrives and, on timeout, fail with
 * an {@link AssertionError} listing what did arrive. {@link #failNext} and {@link #hang} simulate a
 * collector that refuses or never answers. Thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {

    public static final String GRPC = "grpc";
    public static final String HTTP = "http";
    public static final String TRACES = "traces";
    public static final String METRICS = "metrics";
    public static final String LOGS = "logs";

    /**
     * One accepted export request.
     *
     * @param transport {@link #GRPC} or {@link #HTTP}
     * @param signal    {@link #TRACES}, {@link #METRICS} or {@link #LOGS}
     * @param headers   request headers (gRPC metadata), names in lower case, repeated values joined by ","
     * @param request   the decoded {@code Export*ServiceRequest}
     */
    public record Received(String transport, String signal, Map<String, String> headers, Message request) {
        public Received {
            headers = Map.copyOf(headers);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Gate gate = new Gate();
    private final Map<String, ScriptedAnswer> scripted = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Duration answerDelay = Duration.ZERO;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private final TlsMaterial tls;
    private final GrpcFront grpc;
    private final HttpFront http;

    private OtlpReceiver(int grpcPort, int httpPort, TlsMaterial tls) throws IOException {
        this.tls = tls;
        grpc = GrpcFront.start(grpcPort, tls, this::receive, scripted::get);
        try {
            http = HttpFront.start(httpPort, tls, this::receive, scripted::get);
        } catch (IOException | RuntimeException e) {
            grpc.stop();
            throw e;
        }
    }

    /** Starts a receiver on two free ports of 127.0.0.1. */
    public static OtlpReceiver start() {
        return startOn(0, 0);
    }

    /**
     * Starts a receiver that speaks TLS on both ports, with a self-signed certificate for
     * 127.0.0.1 (made once per JVM) that clients must be told to trust (see
     * {@link #caCertificate()}). The endpoints are {@code https://}.
     */
    public static OtlpReceiver startTls() {
        try {
            return new OtlpReceiver(0, 0, TlsMaterial.shared());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the TLS OTLP receiver: " + e.getMessage(), e);
        }
    }

    /** The PEM file of the certificate a client must trust to reach a {@link #startTls()} receiver. */
    public Path caCertificate() {
        if (tls == null) {
            throw new IllegalStateException("this receiver does not use TLS; start it with startTls()");
        }
        return tls.caCertificate();
    }

    /**
     * Starts a receiver on the given ports of 127.0.0.1 (0 = any free port), for example those of
     * a receiver stopped earlier, to play a collector that comes back.
     */
    public static OtlpReceiver startOn(int grpcPort, int httpPort) {
        try {
            return new OtlpReceiver(grpcPort, httpPort, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the OTLP receiver on 127.0.0.1 (grpc port "
                    + grpcPort + ", http port " + httpPort + "): " + e.getMessage(), e);
        }
    }

    /** The OTLP/gRPC endpoint, such as {@code http://127.0.0.1:41234} ({@code https} with TLS). */
    public URI grpcEndpoint() {
        return URI.create(scheme() + "://127.0.0.1:" + grpc.port());
    }

    /** The OTLP/HTTP base endpoint, such as {@code http://127.0.0.1:41235}; signals POST to /v1/traces etc. */
    public URI httpEndpoint() {
        return URI.create(scheme() + "://127.0.0.1:" + http.port());
    }

    private String scheme() {
        return tls == null ? "http" : "https";
    }

    /** The endpoint of {@code transport}: {@link #GRPC} or {@link #HTTP}. */
    public URI endpoint(String transport) {
        return switch (transport) {
            case GRPC -> grpcEndpoint();
            case HTTP -> httpEndpoint();
            default -> throw new IllegalArgumentException("transport is grpc or http, not " + transport);
        };
    }

    // ---- what arrived ----

    /** Every accepted request, in arrival order. */
    public List<Received> requests() {
        return List.copyOf(received);
    }

    public List<ExportTraceServiceRequest> traceRequests() {
        return requestsOf(ExportTraceServiceRequest.class);
    }

    public List<ExportMetricsServiceRequest> metricsRequests() {
        return requestsOf(ExportMetricsServiceRequest.class);
    }

    public List<ExportLogsServiceRequest> logsRequests() {
        return requestsOf(ExportLogsServiceRequest.class);
    }

    /** Every span of every accepted request, in arrival order. */
    public List<Span> spans() {
        return traceRequests().stream()
                .flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream())
                .toList();
    }

    /**
     * Every metric of every accepted request, in arrival order. A periodic reader exports the same
     * metric again and again, so a name usually appears many times; the last is the newest.
     */
    public List<Metric> metrics() {
        return metricsRequests().stream()
                .flatMap(r -> r.getResourceMetricsList().stream())
                .flatMap(rm -> rm.getScopeMetricsList().stream())
                .flatMap(sm -> sm.getMetricsList().stream())
                .toList();
    }

    /** Every log record of every accepted request, in arrival order. */
    public List<LogRecord> logRecords() {
        return logsRequests().stream()
                .flatMap(r -> r.getResourceLogsList().stream())
                .flatMap(rl -> rl.getScopeLogsList().stream())
                .flatMap(sl -> sl.getLogRecordsList().stream())
                .toList();
    }

    /** The resources of every accepted request of every signal, in arrival order. */
    public List<Resource> resources() {
        return received.stream().flatMap(r -> resourcesOf(r.request()).stream()).toList();
    }

    /** How many requests were answered with an error, by {@link #failNext} or on close while hanging. */
    public int refusedCount() {
        return gate.refused();
    }

    /** How many requests are being held unanswered right now (see {@link #hang}). */
    public int heldCount() {
        return gate.held();
    }

    // ---- waiting ----

    /** Waits for a span named {@code name} and returns the first one. */
    public Span awaitSpan(String name, Duration timeout) {
        List<Span> spans = awaitSpans(all -> all.stream().anyMatch(s -> s.getName().equals(name)), timeout,
                "a span named '" + name + "'");
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    /** Waits until the spans received so far satisfy {@code done}; returns them. */
    public List<Span> awaitSpans(Predicate<List<Span>> done, Duration timeout) {
        return awaitSpans(done, timeout, "spans matching the condition");
    }

    private List<Span> awaitSpans(Predicate<List<Span>> done, Duration timeout, String expected) {
        return await(this::spans, done, timeout, expected, "spans", Span::getName);
    }

    /** Waits for a metric named {@code name} and returns the newest one. */
    public Metric awaitMetric(String name, Duration timeout) {
        return awaitMetric(name, m -> true, timeout);
    }

    /**
     * Waits for a metric named {@code name} that satisfies {@code matching} (for example a counter
     * that reached 3) and returns the newest such one.
     */
    public Metric awaitMetric(String name, Predicate<Metric> matching, Duration timeout) {
        Predicate<Metric> wanted = m -> m.getName().equals(name) && matching.test(m);
        List<Metric> metrics = await(this::metrics, all -> all.stream().anyMatch(wanted), timeout,
                "a metric named '" + name + "' matching the condition", "metrics", Metric::getName);
        return metrics.stream().filter(wanted).reduce((first, second) -> second).orElseThrow();
    }

    /** Waits until the metrics received so far satisfy {@code done}; returns them. */
    public List<Metric> awaitMetrics(Predicate<List<Metric>> done, Duration timeout) {
        return await(this::metrics, done, timeout, "metrics matching the condition", "metrics", Metric::getName);
    }

    /** Waits for a log record whose body, as text, satisfies {@code body}; returns the first one. */
    public LogRecord awaitLogRecord(Predicate<String> body, Duration timeout) {
        Predicate<LogRecord> wanted = r -> body.test(text(r.getBody()));
        List<LogRecord> records = await(this::logRecords, all -> all.stream().anyMatch(wanted), timeout,
                "a log record whose body matches the condition", "log records with bodies",
                r -> text(r.getBody()));
        return records.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** Waits until the log records received so far satisfy {@code done}; returns them. */
    public List<LogRecord> awaitLogRecords(Predicate<List<LogRecord>> done, Duration timeout) {
        return await(this::logRecords, done, timeout, "log records matching the condition",
                "log records with bodies", r -> text(r.getBody()));
    }

    /** Waits for an accepted request that satisfies {@code matching}; returns the first one. */
    public Received awaitRequest(Predicate<Received> matching, Duration timeout) {
        List<Received> requests = await(this::requests, all -> all.stream().anyMatch(matching), timeout,
                "a request matching the condition", "requests", r -> r.transport() + " " + r.signal());
        return requests.stream().filter(matching).findFirst().orElseThrow();
    }

    /** Waits until {@code n} requests are being held by {@link #hang}. */
    public void awaitHeld(int n, Duration timeout) {
        if (!gate.awaitHeld(n, timeout)) {
            throw new AssertionError("expected " + n + " held requests within " + timeout.toMillis()
                    + " ms, but " + gate.held() + " are held; " + summary());
        }
    }

    private <T> List<T> await(java.util.function.Supplier<List<T>> items, Predicate<List<T>> done,
            Duration timeout, String expected, String kind, Function<T, String> describe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                List<T> now = items.get();
                if (done.test(now)) {
                    return now;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String seen = now.stream().map(describe).collect(Collectors.joining(", ", "[", "]"));
                    throw new AssertionError("expected " + expected + " within " + timeout.toMillis()
                            + " ms, but received " + now.size() + " " + kind + ": " + seen + "; " + summary());
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + expected, e);
                }
            }
        }
    }

    private String summary() {
        Map<String, Long> counts = received.stream().collect(Collectors.groupingBy(
                r -> r.transport() + " " + r.signal(), java.util.TreeMap::new, Collectors.counting()));
        return "requests accepted " + counts + ", refused " + gate.refused() + ", held " + gate.held();
    }

    // ---- failure injection ----

    /** Answers the next {@code n} export requests with HTTP 503 / gRPC UNAVAILABLE (both retryable). */
    public void failNext(int n) {
        gate.failNext(n);
    }

    /**
     * From now on, answers {@code signal}'s requests ({@link #TRACES}, {@link #METRICS} or
     * {@link #LOGS}) on both transports as {@code answer} says; the other signals as before.
     */
    public void answer(String signal, ScriptedAnswer answer) {
        if (!List.of(TRACES, METRICS, LOGS).contains(signal)) {
            throw new IllegalArgumentException("signal is traces, metrics or logs, not " + signal);
        }
        scripted.put(signal, answer);
    }

    /**
     * Answers the next {@code n} export requests of {@code signal} ({@link #TRACES}, ...) with
     * HTTP {@code status}, or over gRPC the status that means the same to an exporter (400
     * INVALID_ARGUMENT, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 UNIMPLEMENTED, 429
     * RESOURCE_EXHAUSTED, anything else UNAVAILABLE).
     */
    public void failNext(String signal, int n, int status) {
        gate.failNext(signal, n, status);
    }

    /**
     * From now on, answers each export request only after {@code delay}, as a collector that is
     * slow or far away; requests are delayed side by side, not one after another.
     */
    public void delayAnswers(Duration delay) {
        answerDelay = delay;
    }

    /** From now on, accepts connections and requests but answers none until {@link #release}. */
    public void hang() {
        gate.hang();
    }

    /** Answers the held requests (normally: they are received) and stops hanging. */
    public void release() {
        gate.release();
    }

    /** Stops listening on both ports; held requests are answered with an error. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        gate.close();
        http.stop();
        grpc.stop();
    }

    @Override
    public void close() {
        stop();
    }

    /** Called by both fronts for every decoded request; says how to answer it (an HTTP status). */
    private int receive(Received request) {
        Duration delay = answerDelay;
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Gate.UNAVAILABLE;
            }
        }
        int status = gate.pass(request.signal());
        if (status != Gate.ACCEPT) {
            return status;
        }
        synchronized (received) {
            received.add(request);
            received.notifyAll();
        }
        return status;
    }

    @SuppressWarnings("unchecked")
    private <T extends Message> List<T> requestsOf(Class<T> type) {
        return received.stream().map(Received::request).filter(type::isInstance).map(m -> (T) m).toList();
    }

    private static List<Resource> resourcesOf(Message request) {
        if (request instanceof ExportTraceServiceRequest t) {
            return t.getResourceSpansList().stream().map(r -> r.getResource()).toList();
        }
        if (request instanceof ExportMetricsServiceRequest m) {
            return m.getResourceMetricsList().stream().map(r -> r.getResource()).toList();
        }
        return ((ExportLogsServiceRequest) request).getResourceLogsList().stream().map(r -> r.getResource()).toList();
    }

    // ---- reading values ----

    /** The value of attribute {@code key} as text (see {@link #text}), if present. */
    public static Optional<String> attribute(List<KeyValue> attributes, String key) {
        return attributes.stream().filter(kv -> kv.getKey().equals(key)).findFirst().map(kv -> text(kv.getValue()));
    }

    /** The value of the resource attribute {@code key} as text, if present. */
    public static Optional<String> attribute(Resource resource, String key) {
        return attribute(resource.getAttributesList(), key);
    }

    /**
     * A value as text: strings as they are, numbers and booleans as Java prints them, bytes as hex,
     * arrays as {@code [a, b]}, maps as {@code {k=v}}; empty for no value.
     */
    public static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> String.valueOf(value.getBoolValue());
            case INT_VALUE -> String.valueOf(value.getIntValue());
            case DOUBLE_VALUE -> String.valueOf(value.getDoubleValue());
            case BYTES_VALUE -> hex(value.getBytesValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream()
                    .map(OtlpReceiver::text).collect(Collectors.joining(", ", "[", "]"));
            case KVLIST_VALUE -> value.getKvlistValue().getValuesList().stream()
                    .map(kv -> kv.getKey() + "=" + text(kv.getValue())).collect(Collectors.joining(", ", "{", "}"));
            default -> "";
        };
    }

    /** Lower-case hex, as {@code SpanContext#getTraceId()} writes trace and span ids. */
    public static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }
}
