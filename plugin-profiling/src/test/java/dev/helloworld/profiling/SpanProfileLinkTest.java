package dev.helloworld.profiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.testkit.OtlpReceiver;
import dev.helloworld.testkit.PyroscopeReceiver;
import dev.helloworld.testkit.PyroscopeReceiver.Sample;
import dev.helloworld.testkit.PyroscopeReceiver.Upload;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Traces and profiles linked end to end, with the real profiler and the SDK built the way the
 * OTLP plugin builds it (autoconfiguration with {@code helloworld.*} properties, so that
 * {@link ProfileLinkCustomizer} is found by ServiceLoader and nothing here wires the processor or
 * the context storage by hand), over requests shaped like the HTTP server's: the server span
 * starts on an I/O thread, is named after its route, and its work runs on a worker and, in part,
 * on an HTTP client's thread. Runs in a JVM of its own (see the pom), as the context storage can
 * only be wrapped before its first use.
 */
@SuppressWarnings("try") // scopes are used for their side effect
class SpanProfileLinkTest {

    private static final String ROOT = "GET /helloworld";
    private static final int REQUESTS = 30;
    /**
     * Loop turns of {@link BusyWork}: some 60, 30 and 10 ms of CPU on the machine the test was
     * written on, about 6, 3 and 1 samples at the profiler's 10 ms; a request with none would not
     * count as linked.
     */
    private static final long WORK = 100_000_000;
    private static final long WORK_ON_CLIENT = 50_000_000;
    private static final long UNTRACED_WORK = 17_000_000;
    private static final String IN_WORK = BusyWork.class.getName() + ".doSomething";
    private static final String IN_UNTRACED_WORK = BusyWork.class.getName() + ".doSomethingUntraced";

    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "io"));
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "worker"));
    private final ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "client"));

    /** A CPU sample and the string table of the upload it came in. */
    private record Linked(Sample sample, Map<Long, String> strings) {}

    @Test
    void theCpuSamplesOfEveryRequestsWorkCarryItsLocalRootOnEveryThread() throws Exception {
        try (OtlpReceiver otlp = OtlpReceiver.start();
                PyroscopeReceiver pyroscope = PyroscopeReceiver.start()) {
            OpenTelemetrySdk sdk = sdk(otlp);
            List<String> requests = new ArrayList<>();
            // One upload, at stop: the profiler stops sampling while it cuts a profile (for up to a
            // second on a loaded machine), which would leave the requests of that moment unsampled.
            try (ServiceHost host = TestHosts.host(TestHosts.flags(pyroscope.baseUri().toString(),
                    Map.of(ProfilingKeys.UPLOAD_INTERVAL.name(), "10m")))) {
                host.start();
                Tracer tracer = sdk.getTracer("test");
                for (int i = 0; i < REQUESTS; i++) {
                    // Half continue a caller's trace, as the querier's calls and outside clients do.
                    requests.add(serve(tracer, i % 2 == 0 ? Context.root() : Context.root().with(Span.wrap(caller()))));
                    workers.submit(() -> BusyWork.doSomethingUntraced(UNTRACED_WORK)).get();
                }
            } finally {
                for (ExecutorService pool : List.of(io, workers, client)) {
                    pool.shutdown();
                }
            }
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            sdk.close();

            Map<String, String> localRoots = otlp.spans().stream()
                    .filter(s -> attribute(s, "pyroscope.profile.id").equals(Optional.of(hex(s.getSpanId().toByteArray()))))
                    .collect(Collectors.toMap(s -> hex(s.getSpanId().toByteArray()), s -> s.getName()));
            assertTrue(localRoots.keySet().containsAll(requests), "every request's server span is exported as a local root "
                    + "with its pyroscope.profile.id: " + requests + " among " + localRoots);
            assertEquals(0, LocalRoots.PROCESS.size(), "spans still recorded once every request has ended");

            List<Linked> samples = pyroscope.uploads().stream().flatMap(u -> {
                Map<Long, String> strings = u.labelStrings();
                return u.samples().stream().filter(s -> s.eventType().equals("jdk.ExecutionSample"))
                        .map(s -> new Linked(s, strings));
            }).toList();
            List<Linked> work = matching(samples, s -> s.frames().contains(IN_WORK));
            List<Linked> linked = matching(work, s -> s.spanId() != 0);
            String counts = work.size() + " samples in the requests' work, " + linked.size() + " linked; in "
                    + pyroscope.uploads().size() + " uploads";
            assertTrue(work.size() >= 50, "enough CPU samples to judge by: " + counts);
            assertTrue(linked.size() >= 0.95 * work.size(), "at least 95 % of the work's samples linked: " + counts);

            Map<String, Long> carried = samples.stream().filter(l -> l.sample().spanId() != 0)
                    .collect(Collectors.groupingBy(l -> l.sample().spanIdHex(), TreeMap::new, Collectors.counting()));
            assertTrue(localRoots.keySet().containsAll(carried.keySet()),
                    "every span id that samples carry is an exported local root's: " + carried.keySet() + " among " + localRoots.keySet());
            long requestsLinked = requests.stream().filter(carried::containsKey).count();
            assertTrue(requestsLinked >= 0.9 * REQUESTS, "at least 90 % of the requests have samples linked: "
                    + requestsLinked + " of " + REQUESTS + "; samples per span id " + carried);

            System.out.printf("SpanProfileLinkTest: %d of %d work samples linked, %d of %d requests linked (unlinked: %s),"
                    + " %d untraced samples, %d uploads%n", linked.size(), work.size(), requestsLinked, REQUESTS,
                    requests.stream().filter(r -> !carried.containsKey(r)).map(requests::indexOf).toList(),
                    matching(samples, s -> s.frames().contains(IN_UNTRACED_WORK)).size(), pyroscope.uploads().size());
            Map<String, Long> names = linked.stream().collect(Collectors.groupingBy(
                    l -> String.valueOf(l.strings().get(l.sample().spanName())), Collectors.counting()));
            assertEquals(Set.of(ROOT), names.keySet(), "span names of the linked samples, via the labels part: " + names);

            List<Linked> untraced = matching(samples, s -> s.frames().contains(IN_UNTRACED_WORK));
            assertTrue(untraced.size() >= 5, "enough samples of the untraced work to judge by: " + untraced.size());
            assertEquals(List.of(), matching(untraced, s -> s.spanId() != 0).stream().map(l -> l.sample().spanIdHex()).toList(),
                    "span ids on the samples of work done for nobody, on threads that had worked for requests before, of "
                    + untraced.size());
        }
    }

    /**
     * One request as the HTTP plugin serves it; returns the server span's id. The work is
     * dispatched from the I/O thread once routing has named the span, as Undertow does.
     */
    private String serve(Tracer tracer, Context parent) throws Exception {
        Future<Dispatched> dispatched = io.submit(() -> {
            Span server = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER).setParent(parent).startSpan();
            try (Scope ignored = parent.with(server).makeCurrent()) {
                server.updateName(ROOT);
                return new Dispatched(server.getSpanContext().getSpanId(),
                        workers.submit(Context.current().wrap(() -> handle(tracer, server))));
            }
        });
        Dispatched request = dispatched.get();
        request.work().get();
        return request.spanId();
    }

    private record Dispatched(String spanId, Future<?> work) {}

    private void handle(Tracer tracer, Span server) {
        Span handle = tracer.spanBuilder("handle/hello_world").startSpan();
        try (Scope ignored = handle.makeCurrent()) {
            BusyWork.doSomething(WORK);
            // As the querier's HTTP client: part of the work on another pool's thread.
            client.submit(Context.current().wrap(() -> BusyWork.doSomething(WORK_ON_CLIENT))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            handle.end();
            server.end();
        }
    }

    private static SpanContext caller() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return SpanContext.createFromRemoteParent(HexFormat.of().toHexDigits(random.nextLong() | 1)
                + HexFormat.of().toHexDigits(random.nextLong()), HexFormat.of().toHexDigits(random.nextLong() | 1),
                TraceFlags.getSampled(), TraceState.getDefault());
    }

    private static List<Linked> matching(List<Linked> samples, Predicate<Sample> condition) {
        return samples.stream().filter(l -> condition.test(l.sample())).toList();
    }

    static OpenTelemetrySdk sdk(OtlpReceiver otlp) {
        Map<String, String> properties = new HashMap<>(Map.of(
                ProfileLinkCustomizer.PROFILING, "true",
                ProfileLinkCustomizer.TRACES, "true",
                "otel.service.name", "helloworld-test",
                "otel.traces.exporter", "otlp",
                "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none",
                "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.exporter.otlp.endpoint", otlp.httpEndpoint().toString(),
                "otel.bsp.schedule.delay", "100"));
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> properties)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    static Optional<String> attribute(io.opentelemetry.proto.trace.v1.Span span, String key) {
        return span.getAttributesList().stream().filter(a -> a.getKey().equals(key))
                .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst();
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
