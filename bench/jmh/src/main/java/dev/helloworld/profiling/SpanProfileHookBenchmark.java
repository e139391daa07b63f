package dev.helloworld.profiling;

import com.sun.net.httpserver.HttpServer;
import dev.helloworld.core.config.Config;
import dev.helloworld.core.config.ConfigKey;
import dev.helloworld.core.config.Keys;
import dev.helloworld.core.host.Plugin;
import dev.helloworld.core.host.ServiceHost;
import dev.helloworld.core.logging.ConsoleLogging;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What linking profiles to spans costs a request (issue 14), with the profiler running: the context
 * operations and spans of one {@code GET /helloworld} as the HTTP plugin does them (the server span
 * made current on the I/O thread, then on the worker, the handler's span and its two children made
 * current in turn, each scope closed, four spans started and ended), through OpenTelemetry's
 * context storage and an SDK tracer without span processors ({@code linked=false}), against the
 * same through {@link ProfileLinkingContextStorage} and an SDK tracer with the
 * {@link ProfileLinkingSpanProcessor} ({@code linked=true}), which tag the thread through the real
 * async-profiler at each attach and close. Both tracers also have a processor that keeps each span
 * it sees, as an exporter's would: without it, the JIT proves that spans never leave the request and
 * allocates none (292 bytes a request instead of some 3 KB), a baseline the service never has.
 *
 * <p>{@code cpuNsPerRequest} is the benchmark thread's own CPU time per request: on a shared
 * machine the average time mostly measures the wait for a core.
 *
 * <p>The profiling plugin runs as in the service (uploading to a sink in this JVM that answers
 * 200), so its samples' cost is in both cases. The wrapper is installed into the process's context
 * storage before anything uses {@code Context}, so that the plugin hands its profiler over as it
 * does in the service; both cases then call their storage directly. In plugin-profiling's package
 * (on the class path) to reach its package-private classes.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class SpanProfileHookBenchmark {

    static {
        ProfileLinkingContextStorage.install();
    }

    @Param({"false", "true"})
    public boolean linked;

    private HttpServer sink;
    private ServiceHost host;
    private SdkTracerProvider provider;
    private Tracer tracer;
    private ContextStorage storage;

    @Setup(Level.Trial)
    public void start() throws Exception {
        ConsoleLogging.install(new PrintStream(OutputStream.nullOutputStream()), false);
        sink = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        sink.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        sink.start();
        if (!ProfileLinkingContextStorage.installed()) {
            throw new IllegalStateException("the context storage was in use before the benchmark could wrap it");
        }
        List<ConfigKey<?>> keys = new ArrayList<>(Keys.ALL);
        keys.addAll(ProfilingKeys.ALL);
        Config config = Config.of(keys, Map.of("enable.profiling", "true",
                "profiling.endpoint", "http://127.0.0.1:" + sink.getAddress().getPort()));
        host = new ServiceHost(List.of(new Plugin(new ProfilingService(), "dev.helloworld.profiling", "bench")), config);
        host.start();
        if (ActiveProfiler.get() == null) {
            throw new IllegalStateException("the profiling plugin did not hand its profiler over");
        }
        SdkTracerProviderBuilder spans = SdkTracerProvider.builder().addSpanProcessor(new KeepingProcessor());
        provider = (linked ? spans.addSpanProcessor(new ProfileLinkingSpanProcessor()) : spans).build();
        tracer = provider.get("bench");
        storage = linked ? ContextStorage.get() : ContextStorage.defaultStorage();
    }

    @TearDown(Level.Trial)
    public void stop() {
        provider.close();
        host.stop();
        sink.stop(0);
    }

    /** One request's spans and scopes, on one thread: the I/O thread's and the worker's in turn. */
    @Benchmark
    public void request(CpuTime cpu) {
        cpu.count();
        Span server = tracer.spanBuilder("GET").setSpanKind(SpanKind.SERVER).setNoParent().startSpan();
        Context request = Context.root().with(server);
        try (Scope io = storage.attach(request)) {
            server.updateName("GET /helloworld");
        }
        try (Scope worker = storage.attach(request)) {
            Span handle = tracer.spanBuilder("handle/hello_world").setParent(request).startSpan();
            Context handling = request.with(handle);
            try (Scope h = storage.attach(handling)) {
                child("custom_span_demo/do_something", handling);
                child("span_event_demo/do_something", handling);
            } finally {
                handle.end();
            }
            server.end();
        }
    }

    /** The benchmark thread's CPU time per request, as a secondary result. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public double cpuNsPerRequest;
        private long requests;
        private long start;

        @Setup(Level.Iteration)
        public void reset() {
            requests = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        /** Reads the clock every 1024 requests only: the read itself costs a system call. */
        void count() {
            if ((++requests & 1023) == 0) {
                cpuNsPerRequest = (THREADS.getCurrentThreadCpuTime() - start) / (double) requests;
            }
        }
    }

    /** Keeps each span it sees, as an exporter's processor does, so that spans escape as in the service. */
    private static final class KeepingProcessor implements SpanProcessor {
        private volatile Object kept;

        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
            kept = span;
        }

        @Override
        public boolean isStartRequired() {
            return true;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            kept = span;
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }
    }

    private void child(String name, Context parent) {
        Span child = tracer.spanBuilder(name).setParent(parent).startSpan();
        try (Scope c = storage.attach(parent.with(child))) {
            child.setAttribute("helloworld.step", name);
        } finally {
            child.end();
        }
    }
}
